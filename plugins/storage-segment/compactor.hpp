// Log compaction of closed segments: keep, for each key, only the record
// with the latest offset; drop records without a key; keep tombstones (null
// values) until their batch's delete horizon has passed.
//
// Non-transactional data batches are looked into and rewritten;
// compressed ones are decompressed with the broker's codecs and the kept
// records recompressed with the same codec (at its default level), as
// Kafka's cleaner does. A compressed batch whose codec is not loaded is left
// exactly as it is, and so are transactional and control batches (aborted
// data is not tracked here): their keys do not enter the key map either, so
// they never make an older value disappear.
//
// A rewritten batch keeps its base offset, last offset delta and producer
// fields (offsets are preserved; the gaps are normal for compacted topics),
// gets its record count, length, max timestamp and CRC recomputed. The first
// time a batch holding a tombstone is cleaned it gets a delete horizon, as
// Kafka does (KIP-534): attribute bit 0x40 set and base_timestamp = now +
// delete.retention.ms, the records' timestamp deltas re-encoded against it.
// The horizon lives in the data, so it survives restarts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "brokkr/sdk/storage.hpp"
#include "segment.hpp"
#include "segment_scan.hpp"

namespace brokkr::segment {

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Key -> latest offset, over the dirty part of the log.
using KeyMap = std::unordered_map<std::string, std::int64_t, KeyHash, std::equal_to<>>;

// Adds the keys of `segment`'s records to `map` (latest offset wins).
void add_keys(const Segment& segment, const sdk::CodecAccess& codecs, KeyMap& map);

struct CompactedSegment {
  bool changed = false;                  // false: the input is already compact
  std::filesystem::path log_path;        // "<base>.log.cleaned" when changed
  ScanOutcome result;                    // state and indexes of the output
  std::int64_t earliest_horizon = -1;    // of the tombstones kept, -1 when none
};

// Writes the compacted copy of `segment` as "<base>.log.cleaned" and its
// indexes as ".index.cleaned" / ".timeindex.cleaned" (fsynced), unless
// nothing would change.
CompactedSegment compact_segment(const std::filesystem::path& dir, const Segment& segment,
                                 const KeyMap& map, std::int64_t now_ms,
                                 std::int64_t delete_retention_ms,
                                 std::int32_t index_interval_bytes, const sdk::CodecAccess& codecs);

}  // namespace brokkr::segment
