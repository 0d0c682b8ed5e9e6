#include "persistent_state.hpp"

#include <stdexcept>

#include "encoding.hpp"
#include "file_util.hpp"

namespace brokkr::raft {

namespace {
constexpr std::string_view kMagic = "BRKRST01";
}

std::optional<PersistentState> PersistentStateFile::load() const {
  std::optional<std::string> data = read_whole_file(path_);
  if (!data) return std::nullopt;
  try {
    std::string_view view(*data);
    if (view.size() < 4) throw DecodeError("too short");
    Reader crc_reader(view.substr(view.size() - 4));
    if (crc_reader.u32() != crc32_of(view.substr(0, view.size() - 4))) throw DecodeError("CRC mismatch");
    Reader r(view.substr(0, view.size() - 4));
    if (r.bytes(kMagic.size()) != kMagic) throw DecodeError("bad magic");
    PersistentState state;
    state.current_term = r.u64();
    std::int32_t vote = r.i32();
    if (vote >= 0) state.voted_for = vote;
    state.cluster_id = r.str();
    if (!r.done()) throw DecodeError("trailing bytes");
    return state;
  } catch (const DecodeError& e) {
    throw std::runtime_error("raft state file " + path_.string() + " is corrupt (" + e.what() + ")");
  }
}

void PersistentStateFile::store(const PersistentState& state) const {
  Writer w;
  w.bytes(kMagic);
  w.u64(state.current_term);
  w.i32(state.voted_for.value_or(-1));
  w.str(state.cluster_id);
  w.u32(crc32_of(w.data()));
  atomic_write_file(path_, w.data(), durable_);
}

}  // namespace brokkr::raft
