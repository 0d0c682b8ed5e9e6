// Kafka's DefaultMessageFormatter: which parts of a record the console
// consumer prints (print.timestamp, print.partition, print.offset,
// print.delivery, print.epoch, print.headers, print.key, print.value) and
// the separators between them (key.separator, line.separator,
// headers.separator, null.literal), from --property / --formatter-config.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "client/records/record.hpp"

namespace brokkr::cli {

class MessageFormatter {
 public:
  explicit MessageFormatter(const std::map<std::string, std::string>& properties);

  // Writes one record, Kafka's field order:
  // timestamp, partition, offset, delivery, epoch, headers, key, value.
  void write(const client::ConsumerRecord& record, std::ostream& out) const;

 private:
  bool print_timestamp_ = false;
  bool print_key_ = false;
  bool print_value_ = true;
  bool print_partition_ = false;
  bool print_offset_ = false;
  bool print_delivery_ = false;
  bool print_epoch_ = false;
  bool print_headers_ = false;
  std::string key_separator_ = "\t";
  std::string line_separator_ = "\n";
  std::string headers_separator_ = ",";
  std::string null_literal_ = "null";
};

}  // namespace brokkr::cli
