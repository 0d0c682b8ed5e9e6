// Kafka's LineMessageReader: one record per line of input, optionally
// "headers<TAB>key<TAB>value" with configurable separators (--property
// parse.key, key.separator, parse.headers, headers.delimiter,
// headers.separator, headers.key.separator, null.marker, ignore.error).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "client/records/record.hpp"

namespace brokkr::cli {

class LineReader {
 public:
  // Throws std::runtime_error for separator settings Kafka refuses.
  LineReader(std::string topic, const std::map<std::string, std::string>& properties);

  // The record for one line (without its line ending); throws
  // std::runtime_error naming the line number for a missing separator.
  client::ProducerRecord parse(const std::string& line, long line_number) const;

 private:
  std::optional<std::string> field(bool enabled, const std::string& line, std::size_t start,
                                   const std::string& separator, const char* name, long line_number) const;
  std::optional<std::string> nullable(std::string text) const;

  std::string topic_;
  bool parse_key_ = false;
  std::string key_separator_ = "\t";
  bool parse_headers_ = false;
  std::string headers_delimiter_ = "\t";
  std::string headers_separator_ = ",";
  std::string headers_key_separator_ = ":";
  bool ignore_error_ = false;
  std::optional<std::string> null_marker_;
};

}  // namespace brokkr::cli
