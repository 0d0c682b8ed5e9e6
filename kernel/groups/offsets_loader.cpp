#include "groups/offsets_loader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <variant>
#include <vector>

#include "brokkr/sdk/record_batch.hpp"
#include "groups/offsets_batch.hpp"
#include "groups/offsets_records.hpp"
#include "logging/logging.hpp"
#include "protocol/decode_error.hpp"

namespace brokkr::groups {
namespace {

namespace rb = sdk::record_batch;

// Bytes asked of the log per read; a larger batch still comes whole.
constexpr std::int64_t kReadBytes = 4 << 20;
constexpr std::int32_t kMinBatchLength = static_cast<std::int32_t>(rb::kHeaderSize - rb::kLogOverhead);

std::vector<std::uint8_t> read_range(const sdk::FileRange& range) {
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(range.length));
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pread(range.fd, bytes.data() + done, bytes.size() - done,
                        static_cast<off_t>(range.position + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("read failed: ") + std::strerror(errno));
    if (n == 0) throw std::runtime_error("file shorter than the range the log returned");
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

class Replayer {
 public:
  Replayer(const ReplaySource& source, const GroupLogVisitor& visitor)
      : source_(source), visitor_(visitor), log_(logging::get("groups")) {}

  ReplayStats run() {
    std::int64_t offset = source_.log.log_start_offset();
    while (offset < source_.end_offset) {
      sdk::ReadResult read;
      try {
        read = source_.log.read(offset, kReadBytes, source_.end_offset);
      } catch (const std::out_of_range&) {
        // Retention or DeleteRecords moved the start past us: go on from there.
        std::int64_t start = source_.log.log_start_offset();
        if (start <= offset) break;
        offset = start;
        continue;
      }
      if (read.ranges.empty()) break;
      std::int64_t next = offset;
      for (const auto& range : read.ranges) {
        if (!walk(read_range(range), offset, next)) return stats_;
      }
      if (next <= offset) break;  // no progress: never loop forever
      offset = next;
    }
    return stats_;
  }

 private:
  // Visits the batches in `bytes`; false when their framing is broken (the
  // rest of the partition cannot be found again).
  bool walk(const std::vector<std::uint8_t>& bytes, std::int64_t from, std::int64_t& next) {
    std::span<const std::uint8_t> rest(bytes);
    while (rest.size() >= rb::kHeaderSize) {
      auto header = rb::parse_header(rest);
      if (header->batch_length < kMinBatchLength || header->total_size() > static_cast<std::int64_t>(rest.size())) {
        log_->error("{}: broken batch framing at offset {}; loading stops there", source_.label,
                    header->base_offset);
        ++stats_.skipped;
        return false;
      }
      auto batch = rest.first(static_cast<std::size_t>(header->total_size()));
      rest = rest.subspan(batch.size());
      if (header->last_offset() >= next) next = header->last_offset() + 1;
      visit_batch(batch, *header, from);
    }
    return true;
  }

  void visit_batch(std::span<const std::uint8_t> batch, const rb::BatchHeader& header, std::int64_t from) {
    if (header.magic != 2 || !rb::crc_matches(batch)) {
      log_->warn("{}: skipping a corrupt batch at offset {}", source_.label, header.base_offset);
      ++stats_.skipped;
      return;
    }
    if (header.control()) return;  // transaction markers carry no group state
    if (header.transactional()) {
      // Transactional offset commits count only once committed; until
      // transactions exist here, nobody can have written one.
      log_->warn("{}: skipping a transactional batch at offset {}", source_.label, header.base_offset);
      ++stats_.skipped;
      return;
    }
    try {
      for_each_record(batch, header, source_.codecs, source_.max_decompressed_bytes,
                      [&](std::int64_t offset, auto key, auto value) {
                        if (offset >= from) visit_record(offset, key, value);
                      });
    } catch (const std::exception& e) {
      log_->warn("{}: skipping the rest of the batch at offset {}: {}", source_.label, header.base_offset,
                 e.what());
      ++stats_.skipped;
    }
  }

  void visit_record(std::int64_t offset, std::optional<std::span<const std::uint8_t>> key,
                    std::optional<std::span<const std::uint8_t>> value) {
    if (!key) return skip(offset, "a record without a key");
    RecordKey decoded;
    try {
      decoded = decode_key(*key);
    } catch (const std::exception& e) {
      return skip(offset, std::string("an undecodable key: ") + e.what());
    }
    if (auto* unknown = std::get_if<UnknownKey>(&decoded)) {
      if (visitor_.other_record) {
        try {
          if (visitor_.other_record(unknown->version, *key, value)) {
            ++(value ? stats_.groups : stats_.tombstones);
            return;
          }
        } catch (const protocol::DecodeError& e) {
          return skip(offset, std::string("an undecodable record: ") + e.what());
        }
      }
      ++stats_.skipped;
      // Newer record kinds (KIP-848 groups, share groups): once per version.
      if (unknown_versions_.insert(unknown->version).second) {
        log_->warn("{}: skipping records with key version {} (a record kind this broker does not know)",
                   source_.label, unknown->version);
      }
      return;
    }
    try {
      if (auto* k = std::get_if<OffsetKey>(&decoded)) {
        if (!value) {
          ++stats_.tombstones;
          if (visitor_.offset_removed) visitor_.offset_removed(k->group, k->topic, k->partition);
          return;
        }
        CommittedOffset committed = decode_offset_value(*value, *k);
        ++stats_.offsets;
        if (visitor_.offset) visitor_.offset(k->group, committed);
        return;
      }
      const auto& k = std::get<GroupKey>(decoded);
      if (!value) {
        ++stats_.tombstones;
        if (visitor_.group_removed) visitor_.group_removed(k.group);
        return;
      }
      StoredGroup group = decode_group_value(*value, k.group);
      ++stats_.groups;
      if (visitor_.group) visitor_.group(group);
    } catch (const protocol::DecodeError& e) {
      skip(offset, std::string("an undecodable value: ") + e.what());
    }
  }

  void skip(std::int64_t offset, const std::string& what) {
    ++stats_.skipped;
    log_->warn("{}: skipping the record at offset {}: {}", source_.label, offset, what);
  }

  const ReplaySource& source_;
  const GroupLogVisitor& visitor_;
  std::shared_ptr<spdlog::logger> log_;
  ReplayStats stats_;
  std::set<std::int16_t> unknown_versions_;
};

}  // namespace

ReplayStats replay_offsets_log(const ReplaySource& source, const GroupLogVisitor& visitor) {
  return Replayer(source, visitor).run();
}

}  // namespace brokkr::groups
