// Small POSIX file helpers with the durability steps spelled out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace brokkr::raft {

// An owned file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// All of these throw std::system_error naming the path on failure.
UniqueFd open_file(const std::filesystem::path& path, int flags, int mode = 0644);
void write_all_at(int fd, std::string_view data, std::uint64_t offset,
                  const std::filesystem::path& path);
std::string read_at(int fd, std::uint64_t offset, std::size_t length,
                    const std::filesystem::path& path);
void sync_fd(int fd, const std::filesystem::path& path);
void sync_dir(const std::filesystem::path& dir);
// The whole file, or nullopt when it does not exist.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

// Replaces `path` with `contents` so that a crash leaves either the old or
// the new file: write a temporary file, fsync it, rename it over `path`,
// fsync the directory. Without `durable` the fsyncs are skipped.
void atomic_write_file(const std::filesystem::path& path, std::string_view contents, bool durable);

// An exclusive advisory lock (flock) on `path`, held while this lives.
class DirectoryLock {
 public:
  // Throws std::runtime_error when another process or instance holds it.
  explicit DirectoryLock(const std::filesystem::path& path);

 private:
  UniqueFd fd_;
};

}  // namespace brokkr::raft
