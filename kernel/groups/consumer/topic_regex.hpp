// Regex subscriptions of KIP-848 members (ConsumerGroupHeartbeat's
// SubscribedTopicRegex): the topics whose whole name the regex matches,
// internal topics excluded, as Kafka resolves them.
//
// Kafka uses RE2/J syntax; here it is std::regex's ECMAScript grammar, which
// agrees with RE2 on what topic-name patterns use (literals, classes,
// alternation, repetition, anchors), rejects RE2-only syntax such as
// (?P<name>...) or \pL, and accepts some syntax RE2 rejects (lookahead,
// backreferences). No new library is needed for it; patterns are bounded
// (kMaxPatternLength) and matched against topic names (at most 249 bytes),
// and a match that exhausts std::regex's limits counts as no match.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "cluster/topic_metadata.hpp"

namespace brokkr::groups::consumer {

inline constexpr std::size_t kMaxPatternLength = 1000;

// Why `pattern` is not a valid regex, or nullopt when it is.
std::optional<std::string> regex_error(const std::string& pattern);

// The non-internal topics of `snapshot` whose name `pattern` matches in
// full, sorted. Remembers each pattern's answer for the snapshot it was
// computed from, so heartbeats recompute only when the metadata changed.
// Not thread-safe (the manager's lock guards it).
class TopicRegexResolver {
 public:
  std::vector<std::string> resolve(const std::string& pattern,
                                   const std::shared_ptr<const cluster::MetadataSnapshot>& snapshot);

 private:
  struct Cached {
    std::shared_ptr<const std::regex> regex;  // null: invalid
    std::weak_ptr<const cluster::MetadataSnapshot> snapshot;
    std::vector<std::string> topics;
  };
  static constexpr std::size_t kMaxCached = 1024;
  std::map<std::string, Cached> cache_;
};

}  // namespace brokkr::groups::consumer
