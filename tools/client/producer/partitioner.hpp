// Partition choice as Kafka's Java producer makes it (BuiltInPartitioner):
// a keyed record goes to toPositive(murmur2(key)) % partitions, so keys land
// where Java clients (and kafka-python) put them; a record without a key
// goes to the topic's sticky partition, which moves to another random
// partition once a batch's worth of bytes (batch.size) went to it (KIP-794).
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>

namespace brokkr::client {

// Kafka's Utils.murmur2 (seed 0x9747b28c), as a signed 32-bit result.
std::int32_t murmur2(std::string_view bytes);

// toPositive(murmur2(key)) % partitions.
std::int32_t partition_for_key(std::string_view key, std::int32_t partitions);

// Not thread-safe: the caller serialises (the accumulator's lock).
class StickyPartitioner {
 public:
  StickyPartitioner();
  std::int32_t partition(const std::string& topic, std::int32_t partitions);
  // Counts `bytes` appended to the topic's sticky partition; switches to
  // another partition once `batch_size` bytes went there.
  void on_append(const std::string& topic, std::int32_t partitions, std::int64_t bytes, std::int64_t batch_size);

 private:
  struct Sticky {
    std::int32_t partition = -1;
    std::int64_t bytes = 0;
  };
  std::int32_t pick(std::int32_t partitions, std::int32_t previous);
  std::map<std::string, Sticky, std::less<>> topics_;
  std::minstd_rand random_;
};

}  // namespace brokkr::client
