#include "segment_files.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace brokkr::segment {

std::string offset_file_stem(std::int64_t base_offset) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(base_offset));
  return buf;
}

std::filesystem::path segment_path(const std::filesystem::path& dir, std::int64_t base_offset,
                                   const char* suffix) {
  return dir / (offset_file_stem(base_offset) + suffix);
}

std::optional<std::int64_t> parse_segment_name(const std::string& file_name, const char* suffix) {
  std::size_t suffix_length = std::strlen(suffix);
  if (file_name.size() != 20 + suffix_length) return std::nullopt;
  if (file_name.compare(20, suffix_length, suffix) != 0) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(file_name.data(), file_name.data() + 20, value);
  if (ec != std::errc() || end != file_name.data() + 20 || value < 0) return std::nullopt;
  return value;
}

std::string partition_dir_name(const sdk::PartitionId& id) {
  return id.topic + "-" + std::to_string(id.partition);
}

std::optional<sdk::PartitionId> parse_partition_dir_name(const std::string& name) {
  std::size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= name.size()) return std::nullopt;
  const char* first = name.data() + dash + 1;
  const char* last = name.data() + name.size();
  std::int32_t partition = 0;
  auto [end, ec] = std::from_chars(first, last, partition);
  if (ec != std::errc() || end != last || partition < 0) return std::nullopt;
  // Kafka topic names: [a-zA-Z0-9._-]; anything else is not ours.
  for (std::size_t i = 0; i < dash; ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return std::nullopt;
  }
  return sdk::PartitionId{name.substr(0, dash), partition};
}

}  // namespace brokkr::segment
