#include "plugin_common/file_util.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace brokkr::plugin_common {

void throw_errno(const char* what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(), std::string(what) + " " + path.string());
}

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
  if (fd < 0) throw_errno("cannot open", path);
  return UniqueFd(fd);
}

std::int64_t file_size(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("cannot stat", path);
  return static_cast<std::int64_t>(st.st_size);
}

void write_all_at(int fd, std::span<const std::uint8_t> data, std::int64_t offset,
                  const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", path);
    }
    data = data.subspan(static_cast<std::size_t>(n));
    offset += n;
  }
}

std::size_t read_at(int fd, std::span<std::uint8_t> out, std::int64_t offset,
                    const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                        static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read", path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::string read_exact_at(int fd, std::int64_t offset, std::size_t length,
                          const std::filesystem::path& path) {
  std::string out(length, '\0');
  std::size_t n = read_at(fd, std::span(reinterpret_cast<std::uint8_t*>(out.data()), out.size()),
                          offset, path);
  if (n != length) throw std::runtime_error("unexpected end of file reading " + path.string());
  return out;
}

void truncate_file(int fd, std::int64_t size, const std::filesystem::path& path) {
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) throw_errno("cannot truncate", path);
}

void sync_fd(int fd, const std::filesystem::path& path) {
  if (::fsync(fd) != 0) throw_errno("cannot fsync", path);
}

void sync_data(int fd, const std::filesystem::path& path) {
  if (::fdatasync(fd) != 0) throw_errno("cannot fsync", path);
}

void sync_dir(const std::filesystem::path& dir) {
  UniqueFd fd = open_file(dir.empty() ? std::filesystem::path(".") : dir, O_RDONLY | O_DIRECTORY);
  sync_fd(fd.get(), dir);
}

void rename_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) throw_errno("cannot rename to", to);
}

void remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("cannot remove", path);
}

std::optional<std::string> read_whole_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("cannot open", path);
  }
  UniqueFd owned(fd);
  std::string out(static_cast<std::size_t>(file_size(fd, path)), '\0');
  std::size_t n = read_at(fd, std::span(reinterpret_cast<std::uint8_t*>(out.data()), out.size()),
                          0, path);
  out.resize(n);
  return out;
}

void atomic_write_file(const std::filesystem::path& path, std::span<const std::uint8_t> contents,
                       bool durable) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    UniqueFd fd = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    write_all_at(fd.get(), contents, 0, tmp);
    if (durable) sync_fd(fd.get(), tmp);
  }
  rename_file(tmp, path);
  if (durable) sync_dir(path.parent_path());
}

DirectoryLock::DirectoryLock(const std::filesystem::path& path, std::string_view holder)
    : fd_(open_file(path, O_RDWR | O_CREAT)) {
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      throw std::runtime_error(path.parent_path().string() + " is in use by " + std::string(holder) +
                               " (lock " + path.string() + ")");
    }
    throw_errno("cannot lock", path);
  }
}

}  // namespace brokkr::plugin_common
