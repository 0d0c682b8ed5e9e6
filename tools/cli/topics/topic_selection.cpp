#include "topics/topic_selection.hpp"

#include <stdexcept>

#include "topics/topic_filter.hpp"

namespace brokkr::cli::topics {

std::vector<std::string> select_topics(client::admin::AdminClient& admin, const std::optional<std::string>& topic_regex,
                                       bool exclude_internal) {
  std::vector<std::string> out;
  std::optional<TopicFilter> filter;
  if (topic_regex) filter.emplace(*topic_regex);
  for (const auto& listing : admin.list_topics(/*include_internal=*/!exclude_internal)) {
    bool keep = filter ? filter->allows(listing.name, exclude_internal)
                       : !(exclude_internal && client::admin::is_internal_topic_name(listing.name));
    if (keep) out.push_back(listing.name);
  }
  return out;
}

void ensure_topic_exists(const std::vector<std::string>& found, const std::optional<std::string>& requested,
                         bool require_exists) {
  if (requested && !requested->empty() && require_exists && found.empty()) {
    throw std::runtime_error("Topic '" + *requested + "' does not exist as expected");
  }
}

}  // namespace brokkr::cli::topics
