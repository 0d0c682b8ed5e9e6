// Replays one __consumer_offsets partition into a GroupLogVisitor: reads the
// log from its start to the high watermark (file ranges, read with pread),
// decodes every batch and record, and reports them in log order. Garbage
// (a corrupt batch, an undecodable key or value, a record kind we do not
// know) is logged and skipped; it never stops the broker.
#pragma once

#include <cstdint>
#include <string>

#include "brokkr/sdk/storage.hpp"
#include "groups/group_log.hpp"
#include "partition/codec_set.hpp"

namespace brokkr::groups {

struct ReplayStats {
  std::int64_t offsets = 0;     // offset commits delivered
  std::int64_t groups = 0;      // group records delivered
  std::int64_t tombstones = 0;  // removals delivered
  std::int64_t skipped = 0;     // records or batches left out
};

struct ReplaySource {
  sdk::PartitionLog& log;
  std::int64_t end_offset = 0;  // exclusive: the high watermark
  const partition::CodecSet* codecs = nullptr;
  std::size_t max_decompressed_bytes = 256u << 20;
  std::string label;  // "__consumer_offsets-7", for log lines
};

ReplayStats replay_offsets_log(const ReplaySource& source, const GroupLogVisitor& visitor);

}  // namespace brokkr::groups
