#include "producer/partitioner.hpp"

namespace brokkr::client {

std::int32_t murmur2(std::string_view bytes) {
  // Unsigned arithmetic wraps as Java's int does; >> on uint32 is Java's >>>.
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::uint32_t length = static_cast<std::uint32_t>(bytes.size());
  const std::uint32_t m = 0x5bd1e995;
  const int r = 24;
  std::uint32_t h = 0x9747b28cu ^ length;
  const std::uint32_t length4 = length / 4;
  for (std::uint32_t i = 0; i < length4; ++i) {
    const std::uint32_t i4 = i * 4;
    std::uint32_t k = data[i4] | (std::uint32_t(data[i4 + 1]) << 8) | (std::uint32_t(data[i4 + 2]) << 16) |
                      (std::uint32_t(data[i4 + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3: h ^= std::uint32_t(data[tail + 2]) << 16; [[fallthrough]];
    case 2: h ^= std::uint32_t(data[tail + 1]) << 8; [[fallthrough]];
    case 1:
      h ^= data[tail];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}

std::int32_t partition_for_key(std::string_view key, std::int32_t partitions) {
  return static_cast<std::int32_t>((static_cast<std::uint32_t>(murmur2(key)) & 0x7fffffffu) %
                                   static_cast<std::uint32_t>(partitions));
}

StickyPartitioner::StickyPartitioner() : random_(std::random_device{}()) {}

std::int32_t StickyPartitioner::pick(std::int32_t partitions, std::int32_t previous) {
  if (partitions <= 1) return 0;
  std::uniform_int_distribution<std::int32_t> any(0, partitions - 1);
  std::int32_t next = any(random_);
  // A switch goes to another partition.
  if (next == previous) next = (next + 1 + any(random_) % (partitions - 1)) % partitions;
  return next;
}

std::int32_t StickyPartitioner::partition(const std::string& topic, std::int32_t partitions) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) it = topics_.emplace(topic, Sticky{}).first;
  auto& sticky = it->second;
  if (sticky.partition < 0 || sticky.partition >= partitions) {
    sticky.partition = pick(partitions, -1);
    sticky.bytes = 0;
  }
  return sticky.partition;
}

void StickyPartitioner::on_append(const std::string& topic, std::int32_t partitions, std::int64_t bytes,
                                  std::int64_t batch_size) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.bytes += bytes;
  if (it->second.bytes >= batch_size) {
    it->second.partition = pick(partitions, it->second.partition);
    it->second.bytes = 0;
  }
}

}  // namespace brokkr::client
