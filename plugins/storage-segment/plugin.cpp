// Exports the segment storage engine as the `segment` storage plugin.
#include "brokkr/sdk/storage.hpp"
#include "segment_storage.hpp"

BROKKR_PLUGIN(storage, brokkr::segment::SegmentStorage, "segment", "0.1.0",
              "Partition logs in Kafka's on-disk model: segment files with offset and time "
              "indexes, retention, compaction, crash recovery");
