// The framing shared by the raft state file and snapshots: one small file
//   magic | body | u32 crc32(magic and body)
// replaced atomically (tmp file, fsync, rename, directory fsync).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "encoding.hpp"

namespace brokkr::raft {

class FramedFile {
 public:
  // `what` names the file in errors ("raft snapshot").
  FramedFile(std::filesystem::path path, std::string_view magic, std::string what, bool durable)
      : path_(std::move(path)), magic_(magic), what_(std::move(what)), durable_(durable) {}

  // False when the file does not exist. Otherwise checks the CRC and magic
  // and hands the body to `decode`, which must consume all of it; throws
  // std::runtime_error "<what> <path> is corrupt (...)" when any of that fails.
  bool load(const std::function<void(Reader&)>& decode) const;
  // Writes the magic, whatever `encode` writes, then the CRC.
  void store(const std::function<void(Writer&)>& encode) const;

 private:
  std::filesystem::path path_;
  std::string magic_;
  std::string what_;
  bool durable_;
};

}  // namespace brokkr::raft
