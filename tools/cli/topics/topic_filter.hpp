// Kafka's TopicFilter.IncludeList: --topic is a regular expression matched
// against the whole topic name. Commas become alternatives, spaces and
// surrounding quotes are dropped (property files may bring quotes).
#pragma once

#include <regex>
#include <string>

namespace brokkr::cli::topics {

class TopicFilter {
 public:
  // Throws std::runtime_error "<regex> is an invalid regex." as Kafka does.
  explicit TopicFilter(const std::string& raw);
  bool allows(const std::string& topic, bool exclude_internal) const;
  const std::string& regex() const { return text_; }

 private:
  std::string text_;
  std::regex pattern_;
};

}  // namespace brokkr::cli::topics
