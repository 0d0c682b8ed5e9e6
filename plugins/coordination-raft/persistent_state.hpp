// What a Raft voter must remember across restarts besides its log: the
// current term and its vote in it, plus the cluster id. Stored in one small
// file replaced atomically (tmp file, fsync, rename, directory fsync).
//
// Layout: "BRKRST01" | u64 term | i32 voted_for (-1: none) | str cluster_id | u32 crc32
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "framed_file.hpp"

namespace brokkr::raft {

struct PersistentState {
  std::uint64_t current_term = 0;
  std::optional<std::int32_t> voted_for;
  std::string cluster_id;
  bool operator==(const PersistentState&) const = default;
};

class PersistentStateFile {
 public:
  PersistentStateFile(std::filesystem::path path, bool durable);
  // nullopt when the file does not exist yet; throws when it is corrupt.
  std::optional<PersistentState> load() const;
  void store(const PersistentState& state) const;

 private:
  FramedFile file_;
};

}  // namespace brokkr::raft
