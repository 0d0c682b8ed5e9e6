#include "config/topic_config_schema.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <set>

namespace brokkr::config {
namespace {

using T = TopicConfigType;
const std::string kLongMax = "9223372036854775807";

const std::vector<TopicConfigDefinition>& definitions() {
  static const std::vector<TopicConfigDefinition> defs = [] {
    std::vector<TopicConfigDefinition> d = {
        {"cleanup.policy", T::list, "delete", "delete and/or compact old segments", "log.cleanup.policy"},
        {"compression.gzip.level", T::int32, "-1", "gzip level when compression.type is gzip", "compression.gzip.level"},
        {"compression.lz4.level", T::int32, "9", "lz4 level when compression.type is lz4", "compression.lz4.level"},
        {"compression.type", T::string, "producer", "codec of stored batches, or producer to keep the producer's", "compression.type"},
        {"compression.zstd.level", T::int32, "3", "zstd level when compression.type is zstd", "compression.zstd.level"},
        {"delete.retention.ms", T::int64, "86400000", "how long tombstones are kept in compacted topics", "log.cleaner.delete.retention.ms"},
        {"file.delete.delay.ms", T::int64, "60000", "delay before a deleted segment's file is removed", "log.segment.delete.delay.ms"},
        {"flush.messages", T::int64, kLongMax, "fsync after this many messages", "log.flush.interval.messages"},
        {"flush.ms", T::int64, kLongMax, "fsync after this many milliseconds", "log.flush.interval.ms"},
        {"index.interval.bytes", T::int32, "4096", "bytes of log between offset index entries", "log.index.interval.bytes"},
        {"max.compaction.lag.ms", T::int64, kLongMax, "longest time a record stays uncompacted", "log.cleaner.max.compaction.lag.ms"},
        {"max.message.bytes", T::int32, "1048588", "largest record batch accepted", "message.max.bytes"},
        {"message.timestamp.after.max.ms", T::int64, kLongMax, "how far in the future a CreateTime timestamp may be", "log.message.timestamp.after.max.ms"},
        {"message.timestamp.before.max.ms", T::int64, kLongMax, "how far in the past a CreateTime timestamp may be", "log.message.timestamp.before.max.ms"},
        {"message.timestamp.difference.max.ms", T::int64, kLongMax, "deprecated: largest CreateTime difference from now", "log.message.timestamp.difference.max.ms"},
        {"message.timestamp.type", T::string, "CreateTime", "CreateTime or LogAppendTime", "log.message.timestamp.type"},
        {"min.cleanable.dirty.ratio", T::double_, "0.5", "dirty share of the log that triggers compaction", "log.cleaner.min.cleanable.ratio"},
        {"min.compaction.lag.ms", T::int64, "0", "shortest time a record stays uncompacted", "log.cleaner.min.compaction.lag.ms"},
        {"min.insync.replicas", T::int32, "1", "replicas that must acknowledge an acks=all produce", "min.insync.replicas"},
        {"preallocate", T::boolean, "false", "preallocate segment files", "log.preallocate"},
        {"retention.bytes", T::int64, "-1", "largest partition size before old segments are deleted (-1: no limit)", "log.retention.bytes"},
        {"retention.ms", T::int64, "604800000", "age after which segments are deleted (-1: no limit)", "log.retention.ms"},
        {"segment.bytes", T::int32, "1073741824", "segment file size", "log.segment.bytes"},
        {"segment.index.bytes", T::int32, "10485760", "offset index size of a segment", "log.index.size.max.bytes"},
        {"segment.jitter.ms", T::int64, "0", "random jitter subtracted from segment.ms", "log.roll.jitter.ms"},
        {"segment.ms", T::int64, "604800000", "age after which a segment is rolled", "log.roll.ms"},
        {"unclean.leader.election.enable", T::boolean, "false", "allow out-of-sync replicas to become leader", "unclean.leader.election.enable"},
    };
    return d;
  }();
  return defs;
}

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}


struct Range {
  std::int64_t min;
  std::int64_t max;
};

std::optional<Range> range_of(const std::string& name) {
  static const std::map<std::string, Range> ranges = {
      {"compression.gzip.level", {-1, 9}},
      {"compression.lz4.level", {1, 17}},
      {"compression.zstd.level", {-131072, 22}},
      {"delete.retention.ms", {0, std::numeric_limits<std::int64_t>::max()}},
      {"file.delete.delay.ms", {0, std::numeric_limits<std::int64_t>::max()}},
      {"flush.messages", {1, std::numeric_limits<std::int64_t>::max()}},
      {"flush.ms", {0, std::numeric_limits<std::int64_t>::max()}},
      {"index.interval.bytes", {0, std::numeric_limits<std::int32_t>::max()}},
      {"max.compaction.lag.ms", {1, std::numeric_limits<std::int64_t>::max()}},
      {"max.message.bytes", {0, std::numeric_limits<std::int32_t>::max()}},
      {"min.compaction.lag.ms", {0, std::numeric_limits<std::int64_t>::max()}},
      {"min.insync.replicas", {1, std::numeric_limits<std::int32_t>::max()}},
      {"retention.bytes", {-1, std::numeric_limits<std::int64_t>::max()}},
      {"retention.ms", {-1, std::numeric_limits<std::int64_t>::max()}},
      {"segment.bytes", {14, std::numeric_limits<std::int32_t>::max()}},
      {"segment.index.bytes", {4, std::numeric_limits<std::int32_t>::max()}},
      {"segment.jitter.ms", {0, std::numeric_limits<std::int64_t>::max()}},
      {"segment.ms", {1, std::numeric_limits<std::int64_t>::max()}},
  };
  auto it = ranges.find(name);
  if (it == ranges.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::vector<std::string> split_config_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

const std::vector<TopicConfigDefinition>& topic_config_definitions() { return definitions(); }

const TopicConfigDefinition* find_topic_config(const std::string& name) {
  for (const auto& d : definitions()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::optional<std::string> validate_topic_config(const std::string& name, const std::string& value) {
  const TopicConfigDefinition* def = find_topic_config(name);
  if (!def) return "unknown topic config";
  switch (def->type) {
    case T::boolean:
      if (value != "true" && value != "false") return "must be true or false";
      return std::nullopt;
    case T::int32:
    case T::int64: {
      auto v = parse_int(value);
      if (!v) return "must be an integer";
      if (def->type == T::int32 && (*v < std::numeric_limits<std::int32_t>::min() ||
                                     *v > std::numeric_limits<std::int32_t>::max())) {
        return "must fit in 32 bits";
      }
      if (auto r = range_of(name); r && (*v < r->min || *v > r->max)) {
        return "must be between " + std::to_string(r->min) + " and " + std::to_string(r->max);
      }
      return std::nullopt;
    }
    case T::double_: {
      char* end = nullptr;
      double v = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0') return "must be a number";
      if (name == "min.cleanable.dirty.ratio" && (v < 0 || v > 1)) return "must be between 0 and 1";
      return std::nullopt;
    }
    case T::list: {
      auto items = split_config_list(value);
      if (items.empty()) return "must list delete and/or compact";
      for (const auto& item : items) {
        if (item != "delete" && item != "compact") return "must list delete and/or compact";
      }
      return std::nullopt;
    }
    case T::string:
      if (name == "compression.type") {
        static const std::set<std::string> ok = {"producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"};
        if (!ok.count(value)) return "must be one of producer, uncompressed, gzip, snappy, lz4, zstd";
      }
      if (name == "message.timestamp.type" && value != "CreateTime" && value != "LogAppendTime") {
        return "must be CreateTime or LogAppendTime";
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::map<std::string, std::string> effective_topic_configs(
    const std::map<std::string, std::string>& topic_overrides,
    const std::map<std::string, std::string>& broker_defaults) {
  std::map<std::string, std::string> out;
  for (const auto& d : definitions()) {
    if (auto it = topic_overrides.find(d.name); it != topic_overrides.end()) {
      out[d.name] = it->second;
    } else if (auto b = broker_defaults.find(d.name); b != broker_defaults.end()) {
      out[d.name] = b->second;
    } else {
      out[d.name] = d.default_value;
    }
  }
  return out;
}

sdk::LogSettings log_settings_from(const std::map<std::string, std::string>& effective) {
  auto number = [&](const char* name) { return parse_int(effective.at(name)).value_or(0); };
  sdk::LogSettings s;
  s.segment_bytes = number("segment.bytes");
  s.segment_ms = number("segment.ms");
  s.retention_bytes = number("retention.bytes");
  s.retention_ms = number("retention.ms");
  s.index_interval_bytes = static_cast<std::int32_t>(number("index.interval.bytes"));
  s.flush_messages = number("flush.messages");
  s.flush_ms = number("flush.ms");
  auto policy = split_config_list(effective.at("cleanup.policy"));
  s.compact = std::find(policy.begin(), policy.end(), "compact") != policy.end();
  s.remove = std::find(policy.begin(), policy.end(), "delete") != policy.end();
  s.delete_retention_ms = number("delete.retention.ms");
  s.min_compaction_lag_ms = number("min.compaction.lag.ms");
  return s;
}

}  // namespace brokkr::config
