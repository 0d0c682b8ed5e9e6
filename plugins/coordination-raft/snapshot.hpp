// Snapshots: the state machine's image as of a log index, so the log before
// it can be dropped. One file, replaced atomically.
//
// Layout: "BRKRSNP1" | u64 index | u64 term | str image | u32 crc32(all before)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "framed_file.hpp"

namespace brokkr::raft {

struct Snapshot {
  std::uint64_t index = 0;  // last log entry the image includes
  std::uint64_t term = 0;   // that entry's term
  std::string image;
};

class SnapshotFile {
 public:
  SnapshotFile(std::filesystem::path path, bool durable);
  // nullopt when there is none yet; throws when it is corrupt.
  std::optional<Snapshot> load() const;
  void store(const Snapshot& snapshot) const;

 private:
  FramedFile file_;
};

}  // namespace brokkr::raft
