#include "groups/consumer_protocol.hpp"

#include "protocol/decode_error.hpp"
#include "protocol/generated/consumer_protocol_subscription.hpp"
#include "protocol/wire_reader.hpp"

namespace brokkr::groups {

std::optional<std::set<std::string>> subscription_topics(const Bytes& metadata) {
  try {
    protocol::WireReader reader(metadata);
    if (reader.read_int16() < 0) return std::nullopt;
    protocol::ConsumerProtocolSubscription subscription;
    subscription.decode(reader, 0);  // v0 is a prefix of every later version
    return std::set<std::string>(subscription.topics.begin(), subscription.topics.end());
  } catch (const protocol::DecodeError&) {
    return std::nullopt;
  }
}

}  // namespace brokkr::groups
