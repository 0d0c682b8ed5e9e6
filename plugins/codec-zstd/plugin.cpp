// Exports ZstdCodec as the `zstd` codec plugin.
#include "zstd_codec.hpp"

BROKKR_PLUGIN(codec, brokkr::codecs::ZstdCodec, "zstd", "0.1.0",
              "Zstandard compression for Kafka record batches, codec id 4");
