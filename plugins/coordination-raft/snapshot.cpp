#include "snapshot.hpp"

namespace brokkr::raft {

SnapshotFile::SnapshotFile(std::filesystem::path path, bool durable)
    : file_(std::move(path), "BRKRSNP1", "raft snapshot", durable) {}

std::optional<Snapshot> SnapshotFile::load() const {
  Snapshot snapshot;
  bool found = file_.load([&](Reader& r) {
    snapshot.index = r.u64();
    snapshot.term = r.u64();
    snapshot.image = r.str();
  });
  if (!found) return std::nullopt;
  return snapshot;
}

void SnapshotFile::store(const Snapshot& snapshot) const {
  file_.store([&](Writer& w) {
    w.u64(snapshot.index);
    w.u64(snapshot.term);
    w.str(snapshot.image);
  });
}

}  // namespace brokkr::raft
