// The records' values: random upper-case letters of --record-size bytes
// (new ones for every record, as Kafka's tool makes them), a random pick
// from --payload-file, or the record's number (--payload-monotonic).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace brokkr::cli {

// Reads and splits the file (empty pieces at the end dropped, as Java's
// String.split does); prints Kafka's two lines about it. Throws
// std::runtime_error for a missing or empty file.
std::vector<std::string> read_payload_file(const std::string& path, const std::string& delimiter);

class PayloadGenerator {
 public:
  PayloadGenerator(std::int32_t record_size, std::vector<std::string> payloads, bool monotonic);
  // The value for record `index`.
  const std::string& next(std::int64_t index);

 private:
  std::uint64_t random();

  std::int32_t record_size_;
  std::vector<std::string> payloads_;
  bool monotonic_;
  std::string buffer_;
  std::uint64_t state_ = 0;  // splitmix64, seed 0 like Kafka's SplittableRandom(0)
};

}  // namespace brokkr::cli
