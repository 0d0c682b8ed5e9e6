#include "producer/producer_config.hpp"

#include "client_error.hpp"
#include "client_plugins.hpp"

namespace brokkr::client {
namespace {

[[noreturn]] void invalid(const std::string& key, const std::string& value, const std::string& why) {
  throw ClientError("Invalid value " + value + " for configuration " + key + ": " + why);
}

std::int64_t at_least(const Properties& p, const std::string& key, std::int64_t fallback, std::int64_t min) {
  auto value = p.get_int(key, fallback);
  if (value < min) invalid(key, std::to_string(value), "Value must be at least " + std::to_string(min));
  return value;
}

}  // namespace

ProducerConfig ProducerConfig::from(const Properties& p) {
  ProducerConfig c;
  auto acks = p.get_string("acks", "all");
  if (acks == "all" || acks == "-1") {
    c.acks = -1;
  } else if (acks == "0" || acks == "1") {
    c.acks = static_cast<std::int16_t>(acks[0] - '0');
  } else {
    invalid("acks", acks, "String must be one of: all, -1, 0, 1");
  }

  auto codec = p.get_string("compression.type", "none");
  try {
    c.compression = parse_compression_type(codec);
  } catch (const ClientError&) {
    invalid("compression.type", codec, "String must be one of: none, gzip, snappy, lz4, zstd");
  }
  if (c.compression != sdk::CompressionType::none) {
    auto level_key = std::string("compression.") + compression_name(c.compression) + ".level";
    if (p.contains(level_key)) c.compression_level = static_cast<int>(p.get_int(level_key, 0));
  }

  c.linger = std::chrono::milliseconds(at_least(p, "linger.ms", 5, 0));
  c.batch_size = at_least(p, "batch.size", 16384, 0);
  c.max_request_size = at_least(p, "max.request.size", 1048576, 1);
  c.buffer_memory = at_least(p, "buffer.memory", 32 * 1024 * 1024, 0);
  c.request_timeout = std::chrono::milliseconds(at_least(p, "request.timeout.ms", 30000, 1));
  c.delivery_timeout = std::chrono::milliseconds(at_least(p, "delivery.timeout.ms", 120000, 0));
  c.retry_backoff = std::chrono::milliseconds(at_least(p, "retry.backoff.ms", 100, 0));
  c.max_block = std::chrono::milliseconds(at_least(p, "max.block.ms", 60000, 0));
  c.retries = at_least(p, "retries", 2147483647, 0);
  c.max_in_flight = static_cast<int>(at_least(p, "max.in.flight.requests.per.connection", 5, 1));
  c.partitioner_ignore_keys = p.get_bool("partitioner.ignore.keys", false);

  if (p.get_bool("enable.idempotence", false)) {
    throw ClientError("enable.idempotence=true is not supported by this producer yet (it defaults to false)");
  }
  if (p.contains("transactional.id")) {
    throw ClientError("transactional.id is set, but this producer does not support transactions yet");
  }
  return c;
}

}  // namespace brokkr::client
