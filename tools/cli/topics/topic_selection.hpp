// Which topics an action applies to (TopicCommand.getTopics and
// ensureTopicExists): every topic, sorted, filtered by the --topic regex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "admin/admin_client.hpp"

namespace brokkr::cli::topics {

std::vector<std::string> select_topics(client::admin::AdminClient& admin, const std::optional<std::string>& topic_regex,
                                       bool exclude_internal);

// Throws "Topic '<name>' does not exist as expected" when a --topic was given,
// must exist, and matched nothing.
void ensure_topic_exists(const std::vector<std::string>& found, const std::optional<std::string>& requested,
                         bool require_exists);

}  // namespace brokkr::cli::topics
