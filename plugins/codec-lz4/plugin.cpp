// Exports Lz4Codec as the `lz4` codec plugin.
#include "lz4_codec.hpp"

BROKKR_PLUGIN(codec, brokkr::codecs::Lz4Codec, "lz4", "0.1.0",
              "LZ4 frame compression for Kafka record batches, codec id 3");
