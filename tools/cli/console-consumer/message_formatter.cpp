#include "message_formatter.hpp"

#include <algorithm>
#include <cctype>

namespace brokkr::cli {
namespace {

// Kafka: a property is true when its trimmed value equals "true", ignoring case.
bool is_true(std::string text) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text == "true";
}

}  // namespace

MessageFormatter::MessageFormatter(const std::map<std::string, std::string>& properties) {
  auto flag = [&](const char* key, bool& target) {
    if (auto it = properties.find(key); it != properties.end()) target = is_true(it->second);
  };
  auto text = [&](const char* key, std::string& target) {
    if (auto it = properties.find(key); it != properties.end()) target = it->second;
  };
  flag("print.timestamp", print_timestamp_);
  flag("print.key", print_key_);
  flag("print.offset", print_offset_);
  flag("print.delivery", print_delivery_);
  flag("print.epoch", print_epoch_);
  flag("print.partition", print_partition_);
  flag("print.headers", print_headers_);
  flag("print.value", print_value_);
  text("key.separator", key_separator_);
  text("line.separator", line_separator_);
  text("headers.separator", headers_separator_);
  text("null.literal", null_literal_);
}

void MessageFormatter::write(const client::ConsumerRecord& record, std::ostream& out) const {
  // After each field: the key separator when another field follows, else the
  // line separator.
  auto separator = [&](bool more) { out << (more ? key_separator_ : line_separator_); };
  auto bytes = [&](const std::optional<std::string>& value) { out << (value ? *value : null_literal_); };

  if (print_timestamp_) {
    // Fetched batches are magic v2, which always have a timestamp type
    // (Kafka prints NO_TIMESTAMP only for v0 messages).
    out << (record.timestamp_type == client::TimestampType::log_append_time ? "LogAppendTime:" : "CreateTime:")
        << record.timestamp;
    separator(print_partition_ || print_offset_ || print_delivery_ || print_epoch_ || print_headers_ ||
              print_key_ || print_value_);
  }
  if (print_partition_) {
    out << "Partition:" << record.partition;
    separator(print_offset_ || print_delivery_ || print_epoch_ || print_headers_ || print_key_ || print_value_);
  }
  if (print_offset_) {
    out << "Offset:" << record.offset;
    separator(print_delivery_ || print_epoch_ || print_headers_ || print_key_ || print_value_);
  }
  if (print_delivery_) {
    out << "Delivery:NOT_PRESENT";  // share groups only
    separator(print_epoch_ || print_headers_ || print_key_ || print_value_);
  }
  if (print_epoch_) {
    // Kafka's console consumer hands the formatter records without their
    // leader epoch, so it always prints NOT_PRESENT.
    out << "Epoch:NOT_PRESENT";
    separator(print_headers_ || print_key_ || print_value_);
  }
  if (print_headers_) {
    if (record.headers.empty()) {
      out << "NO_HEADERS";
    } else {
      for (std::size_t i = 0; i < record.headers.size(); ++i) {
        if (i != 0) out << headers_separator_;
        out << record.headers[i].key << ":";
        bytes(record.headers[i].value);
      }
    }
    separator(print_key_ || print_value_);
  }
  if (print_key_) {
    bytes(record.key);
    separator(print_value_);
  }
  if (print_value_) {
    bytes(record.value);
    out << line_separator_;
  }
}

}  // namespace brokkr::cli
