// The producer's settings, read from Kafka's producer property names with
// Kafka's defaults, except:
//  - linger.ms defaults to 5, Kafka 4.0's default (KIP-1030; Kafka 3.x: 0);
//  - enable.idempotence defaults to false: this client has no idempotent or
//    transactional mode yet, and refuses enable.idempotence=true and
//    transactional.id.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "brokkr/sdk/codec.hpp"
#include "properties.hpp"

namespace brokkr::client {

struct ProducerConfig {
  std::int16_t acks = -1;                        // acks: all/-1, 0, 1
  sdk::CompressionType compression = sdk::CompressionType::none;  // compression.type
  std::optional<int> compression_level;          // compression.<codec>.level
  std::chrono::milliseconds linger{5};           // linger.ms
  std::int64_t batch_size = 16384;               // batch.size
  std::int64_t max_request_size = 1048576;       // max.request.size
  std::int64_t buffer_memory = 32 * 1024 * 1024; // buffer.memory
  std::chrono::milliseconds request_timeout{30000};   // request.timeout.ms
  std::chrono::milliseconds delivery_timeout{120000}; // delivery.timeout.ms
  std::chrono::milliseconds retry_backoff{100};       // retry.backoff.ms
  std::chrono::milliseconds max_block{60000};         // max.block.ms
  std::int64_t retries = 2147483647;             // retries
  int max_in_flight = 5;                         // max.in.flight.requests.per.connection
  bool partitioner_ignore_keys = false;          // partitioner.ignore.keys

  // Throws ClientError naming the property for an invalid value, as Kafka's
  // ConfigException does ("Invalid value x for configuration acks: ...").
  static ProducerConfig from(const Properties& properties);
};

}  // namespace brokkr::client
