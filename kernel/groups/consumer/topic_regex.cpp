#include "groups/consumer/topic_regex.hpp"

namespace brokkr::groups::consumer {
namespace {

std::shared_ptr<const std::regex> compile(const std::string& pattern) {
  if (pattern.size() > kMaxPatternLength) return nullptr;
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return nullptr;
  }
}

}  // namespace

std::optional<std::string> regex_error(const std::string& pattern) {
  if (pattern.size() > kMaxPatternLength) {
    return "longer than " + std::to_string(kMaxPatternLength) + " characters";
  }
  try {
    std::regex(pattern, std::regex::ECMAScript);
    return std::nullopt;
  } catch (const std::regex_error& e) {
    return std::string(e.what());
  }
}

std::vector<std::string> TopicRegexResolver::resolve(const std::string& pattern,
                                                     const std::shared_ptr<const cluster::MetadataSnapshot>& snapshot) {
  if (!snapshot) return {};
  auto it = cache_.find(pattern);
  if (it != cache_.end() && it->second.snapshot.lock() == snapshot) return it->second.topics;
  if (it == cache_.end()) {
    if (cache_.size() >= kMaxCached) cache_.clear();  // patterns nobody uses any more go too
    it = cache_.emplace(pattern, Cached{compile(pattern), {}, {}}).first;
  }
  Cached& c = it->second;
  c.snapshot = snapshot;
  c.topics.clear();
  if (!c.regex) return {};
  for (const auto& [name, topic] : snapshot->topics) {  // name order: sorted
    if (!topic || topic->internal) continue;
    try {
      if (std::regex_match(name, *c.regex)) c.topics.push_back(name);
    } catch (const std::regex_error&) {
      // error_complexity / error_stack: no match
    }
  }
  return c.topics;
}

}  // namespace brokkr::groups::consumer
