// Small POSIX file helpers for plugins, with the durability steps spelled
// out. Everything throws std::system_error naming the path on failure
// (DirectoryLock: std::runtime_error when the lock is taken).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace brokkr::plugin_common {

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

// Throws std::system_error from errno: "<what> <path>".
[[noreturn]] void throw_errno(const char* what, const std::filesystem::path& path);

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Opens with O_CLOEXEC added, retrying on EINTR.
UniqueFd open_file(const std::filesystem::path& path, int flags, int mode = 0644);
std::int64_t file_size(int fd, const std::filesystem::path& path);

void write_all_at(int fd, std::span<const std::uint8_t> data, std::int64_t offset,
                  const std::filesystem::path& path);
inline void write_all_at(int fd, std::string_view data, std::int64_t offset,
                         const std::filesystem::path& path) {
  write_all_at(fd, as_bytes(data), offset, path);
}

// Reads up to `out.size()` bytes at `offset`; returns how many (short only at
// the end of the file).
std::size_t read_at(int fd, std::span<std::uint8_t> out, std::int64_t offset,
                    const std::filesystem::path& path);
// Exactly `length` bytes at `offset`; the end of the file first is an error
// (std::runtime_error).
std::string read_exact_at(int fd, std::int64_t offset, std::size_t length,
                          const std::filesystem::path& path);

void truncate_file(int fd, std::int64_t size, const std::filesystem::path& path);
// fsync: data and all metadata.
void sync_fd(int fd, const std::filesystem::path& path);
// fdatasync: data and the metadata needed to read it back (the size).
void sync_data(int fd, const std::filesystem::path& path);
// fsync of a directory, making entries created, renamed or removed durable.
void sync_dir(const std::filesystem::path& dir);
void rename_file(const std::filesystem::path& from, const std::filesystem::path& to);
// Removes a file; a missing file is not an error.
void remove_file(const std::filesystem::path& path);

// The whole file, or nullopt when it does not exist.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

// Replaces `path` with `contents` so that a crash leaves either the old or
// the new file: write `<path>.tmp`, fsync it, rename it over `path`, fsync
// the directory. Without `durable` the fsyncs are skipped (still atomic
// against a crash of the process, not of the machine).
void atomic_write_file(const std::filesystem::path& path, std::span<const std::uint8_t> contents,
                       bool durable = true);
inline void atomic_write_file(const std::filesystem::path& path, std::string_view contents,
                              bool durable = true) {
  atomic_write_file(path, as_bytes(contents), durable);
}

// An exclusive advisory lock (flock) on `path`, held while this lives.
class DirectoryLock {
 public:
  // Throws std::runtime_error "<dir> is in use by <holder> (lock <path>)"
  // when another process or instance holds it.
  explicit DirectoryLock(const std::filesystem::path& path,
                         std::string_view holder = "another process");

 private:
  UniqueFd fd_;
};

}  // namespace brokkr::plugin_common
