// The value of a `records` field: record batches either held in memory
// (requests, tests) or referenced as ranges of log files, which the network
// layer sends with sendfile without copying them (Fetch responses).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace brokkr::protocol {

struct FileSlice {
  int fd = -1;
  std::int64_t position = 0;
  std::int64_t length = 0;
  std::shared_ptr<void> keep_alive;  // keeps the file open while the slice is in use
  bool operator==(const FileSlice& o) const {
    return fd == o.fd && position == o.position && length == o.length;
  }
};

// Behaves like std::optional<std::vector<uint8_t>> for in-memory records;
// file slices, when present, follow the in-memory bytes on the wire.
class Records {
 public:
  Records() = default;  // null
  Records(std::nullopt_t) {}
  Records(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  static Records empty() { return Records(std::vector<std::uint8_t>{}); }

  bool has_value() const { return bytes_.has_value() || !slices_.empty(); }
  explicit operator bool() const { return has_value(); }
  std::vector<std::uint8_t>& operator*() { return bytes_.value(); }
  const std::vector<std::uint8_t>& operator*() const { return bytes_.value(); }
  std::vector<std::uint8_t>* operator->() { return &bytes_.value(); }
  const std::vector<std::uint8_t>* operator->() const { return &bytes_.value(); }

  const std::optional<std::vector<std::uint8_t>>& bytes() const { return bytes_; }
  const std::vector<FileSlice>& slices() const { return slices_; }
  void add_slice(FileSlice slice) {
    if (!bytes_) bytes_.emplace();
    slices_.push_back(std::move(slice));
  }
  // Total length on the wire (0 when null).
  std::int64_t size() const {
    std::int64_t n = bytes_ ? static_cast<std::int64_t>(bytes_->size()) : 0;
    for (const auto& s : slices_) n += s.length;
    return n;
  }
  bool operator==(const Records&) const = default;

 private:
  std::optional<std::vector<std::uint8_t>> bytes_;
  std::vector<FileSlice> slices_;
};

}  // namespace brokkr::protocol
