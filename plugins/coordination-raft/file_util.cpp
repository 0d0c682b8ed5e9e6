#include "file_util.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brokkr::raft {

namespace {
[[noreturn]] void fail(const char* what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(),
                          std::string(what) + " " + path.string());
}
}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

UniqueFd open_file(const std::filesystem::path& path, int flags, int mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) fail("cannot open", path);
  return UniqueFd(fd);
}

void write_all_at(int fd, std::string_view data, std::uint64_t offset,
                  const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

std::string read_at(int fd, std::uint64_t offset, std::size_t length,
                    const std::filesystem::path& path) {
  std::string out(length, '\0');
  std::size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", path);
    }
    if (n == 0) {
      throw std::runtime_error("unexpected end of file reading " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  return out;
}

void sync_fd(int fd, const std::filesystem::path& path) {
  if (::fsync(fd) != 0) fail("cannot fsync", path);
}

void sync_dir(const std::filesystem::path& dir) {
  UniqueFd fd = open_file(dir.empty() ? std::filesystem::path(".") : dir, O_RDONLY | O_DIRECTORY);
  sync_fd(fd.get(), dir);
}

std::optional<std::string> read_whole_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot open", path);
  }
  UniqueFd owned(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("cannot stat", path);
  return read_at(fd, 0, static_cast<std::size_t>(st.st_size), path);
}

void atomic_write_file(const std::filesystem::path& path, std::string_view contents, bool durable) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    UniqueFd fd = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    write_all_at(fd.get(), contents, 0, tmp);
    if (durable) sync_fd(fd.get(), tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename to", path);
  if (durable) sync_dir(path.parent_path());
}

DirectoryLock::DirectoryLock(const std::filesystem::path& path)
    : fd_(open_file(path, O_RDWR | O_CREAT)) {
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      throw std::runtime_error(path.parent_path().string() +
                               " is in use by another coordinator (lock " + path.string() + ")");
    }
    fail("cannot lock", path);
  }
}

}  // namespace brokkr::raft
