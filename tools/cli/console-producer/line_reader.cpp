#include "console-producer/line_reader.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace brokkr::cli {
namespace {

bool is_true(const std::string& text) {
  std::string t = text;
  t.erase(0, t.find_first_not_of(" \t"));
  t.erase(t.find_last_not_of(" \t") + 1);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t == "true";
}

}  // namespace

LineReader::LineReader(std::string topic, const std::map<std::string, std::string>& p) : topic_(std::move(topic)) {
  auto get = [&](const char* key) -> const std::string* {
    auto it = p.find(key);
    return it == p.end() ? nullptr : &it->second;
  };
  if (auto v = get("parse.key")) parse_key_ = is_true(*v);
  if (auto v = get("key.separator")) key_separator_ = *v;
  if (auto v = get("parse.headers")) parse_headers_ = is_true(*v);
  if (auto v = get("headers.delimiter")) headers_delimiter_ = *v;
  if (auto v = get("headers.separator")) headers_separator_ = *v;
  if (auto v = get("headers.key.separator")) headers_key_separator_ = *v;
  if (auto v = get("ignore.error")) ignore_error_ = is_true(*v);
  if (auto v = get("null.marker")) null_marker_ = *v;
  // The same checks (and messages) as Kafka's LineMessageReader.configure.
  if (headers_delimiter_ == headers_separator_) throw std::runtime_error("headers.delimiter and headers.separator may not be equal");
  if (headers_delimiter_ == headers_key_separator_) throw std::runtime_error("headers.delimiter and headers.key.separator may not be equal");
  if (headers_separator_ == headers_key_separator_) throw std::runtime_error("headers.separator and headers.key.separator may not be equal");
  if (null_marker_) {
    if (key_separator_ == *null_marker_) throw std::runtime_error("null.marker and key.separator may not be equal");
    if (headers_separator_ == *null_marker_) throw std::runtime_error("null.marker and headers.separator may not be equal");
    if (headers_delimiter_ == *null_marker_) throw std::runtime_error("null.marker and headers.delimiter may not be equal");
    if (headers_key_separator_ == *null_marker_) throw std::runtime_error("null.marker and headers.key.separator may not be equal");
  }
}

std::optional<std::string> LineReader::field(bool enabled, const std::string& line, std::size_t start,
                                             const std::string& separator, const char* name,
                                             long line_number) const {
  if (!enabled) return std::nullopt;
  auto at = line.find(separator, start);
  if (at == std::string::npos) {
    if (ignore_error_) return std::nullopt;
    throw std::runtime_error(std::string("No ") + name + " found on line number " + std::to_string(line_number) +
                             ": '" + line + "'");
  }
  return line.substr(start, at - start);
}

std::optional<std::string> LineReader::nullable(std::string text) const {
  if (null_marker_ && text == *null_marker_) return std::nullopt;
  return text;
}

client::ProducerRecord LineReader::parse(const std::string& line, long line_number) const {
  auto headers = field(parse_headers_, line, 0, headers_delimiter_, "headers delimiter", line_number);
  std::size_t header_offset = headers ? headers->size() + headers_delimiter_.size() : 0;
  auto key = field(parse_key_, line, header_offset, key_separator_, "key separator", line_number);
  std::size_t key_offset = key ? key->size() + key_separator_.size() : 0;

  client::ProducerRecord record;
  record.topic = topic_;
  if (key) record.key = nullable(*key);
  record.value = nullable(line.substr(header_offset + key_offset));
  if (headers && !(null_marker_ && *headers == *null_marker_)) {
    // Kafka splits with headers.separator as a regex; a literal split is the
    // same for the usual separators.
    std::size_t start = 0;
    for (;;) {
      auto end = headers->find(headers_separator_, start);
      std::string pair = headers->substr(start, end == std::string::npos ? std::string::npos : end - start);
      auto at = pair.find(headers_key_separator_);
      if (at == std::string::npos) {
        if (!ignore_error_) {
          throw std::runtime_error("No header key separator found in pair '" + pair + "' on line number " +
                                   std::to_string(line_number));
        }
        record.headers.push_back(client::RecordHeader{pair, std::nullopt});
      } else {
        std::string header_key = pair.substr(0, at);
        if (null_marker_ && header_key == *null_marker_) {
          throw std::runtime_error("Header keys should not be equal to the null marker '" + *null_marker_ +
                                   "' as they can't be null");
        }
        record.headers.push_back(
            client::RecordHeader{header_key, nullable(pair.substr(at + headers_key_separator_.size()))});
      }
      if (end == std::string::npos) break;
      start = end + headers_separator_.size();
    }
  }
  return record;
}

}  // namespace brokkr::cli
