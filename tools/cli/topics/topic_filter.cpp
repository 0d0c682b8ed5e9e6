#include "topics/topic_filter.hpp"

#include <algorithm>
#include <stdexcept>

#include "admin/admin_types.hpp"

namespace brokkr::cli::topics {
namespace {

std::string normalise(const std::string& raw) {
  std::string text = raw;
  auto first = text.find_first_not_of(" \t\r\n");
  auto last = text.find_last_not_of(" \t\r\n");
  text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  std::replace(text.begin(), text.end(), ',', '|');
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  auto is_quote = [](char c) { return c == '"' || c == '\''; };
  while (!text.empty() && is_quote(text.front())) text.erase(text.begin());
  while (!text.empty() && is_quote(text.back())) text.pop_back();
  return text;
}

}  // namespace

TopicFilter::TopicFilter(const std::string& raw) : text_(normalise(raw)) {
  try {
    pattern_ = std::regex(text_, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    throw std::runtime_error(text_ + " is an invalid regex.");
  }
}

bool TopicFilter::allows(const std::string& topic, bool exclude_internal) const {
  if (exclude_internal && client::admin::is_internal_topic_name(topic)) return false;
  return std::regex_match(topic, pattern_);
}

}  // namespace brokkr::cli::topics
