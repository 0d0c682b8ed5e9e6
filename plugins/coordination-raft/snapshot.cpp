#include "snapshot.hpp"

#include <stdexcept>

#include "encoding.hpp"
#include "file_util.hpp"

namespace brokkr::raft {

namespace {
constexpr std::string_view kMagic = "BRKRSNP1";
}

std::optional<Snapshot> SnapshotFile::load() const {
  std::optional<std::string> data = read_whole_file(path_);
  if (!data) return std::nullopt;
  try {
    std::string_view view(*data);
    if (view.size() < 4) throw DecodeError("too short");
    Reader crc(view.substr(view.size() - 4));
    if (crc.u32() != crc32_of(view.substr(0, view.size() - 4))) throw DecodeError("CRC mismatch");
    Reader r(view.substr(0, view.size() - 4));
    if (r.bytes(kMagic.size()) != kMagic) throw DecodeError("bad magic");
    Snapshot snapshot;
    snapshot.index = r.u64();
    snapshot.term = r.u64();
    snapshot.image = r.str();
    if (!r.done()) throw DecodeError("trailing bytes");
    return snapshot;
  } catch (const DecodeError& e) {
    throw std::runtime_error("raft snapshot " + path_.string() + " is corrupt (" + e.what() + ")");
  }
}

void SnapshotFile::store(const Snapshot& snapshot) const {
  Writer w;
  w.bytes(kMagic);
  w.u64(snapshot.index);
  w.u64(snapshot.term);
  w.str(snapshot.image);
  w.u32(crc32_of(w.data()));
  atomic_write_file(path_, w.data(), durable_);
}

}  // namespace brokkr::raft
