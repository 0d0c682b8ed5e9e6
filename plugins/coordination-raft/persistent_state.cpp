#include "persistent_state.hpp"

namespace brokkr::raft {

PersistentStateFile::PersistentStateFile(std::filesystem::path path, bool durable)
    : file_(std::move(path), "BRKRST01", "raft state file", durable) {}

std::optional<PersistentState> PersistentStateFile::load() const {
  PersistentState state;
  bool found = file_.load([&](Reader& r) {
    state.current_term = r.u64();
    std::int32_t vote = r.i32();
    if (vote >= 0) state.voted_for = vote;
    state.cluster_id = r.str();
  });
  if (!found) return std::nullopt;
  return state;
}

void PersistentStateFile::store(const PersistentState& state) const {
  file_.store([&](Writer& w) {
    w.u64(state.current_term);
    w.i32(state.voted_for.value_or(-1));
    w.str(state.cluster_id);
  });
}

}  // namespace brokkr::raft
