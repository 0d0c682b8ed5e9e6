// How the classic coordinator's loader hands the KIP-848 records it meets in
// __consumer_offsets (key versions 3-8) to the consumer group manager: one
// replay of the log feeds both coordinators.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace brokkr::groups::consumer {

class ConsumerGroupReplaySink {
 public:
  virtual ~ConsumerGroupReplaySink() = default;
  // One record in log order; false when it is not a consumer group record.
  // Throws protocol::DecodeError for a malformed one.
  virtual bool replay_record(std::span<const std::uint8_t> key,
                             std::optional<std::span<const std::uint8_t>> value) = 0;
  // The end of one partition: its groups go live (sessions start now).
  virtual void replay_done() = 0;
};

}  // namespace brokkr::groups::consumer
