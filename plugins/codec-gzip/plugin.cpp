// Exports GzipCodec as the `gzip` codec plugin.
#include "gzip_codec.hpp"

BROKKR_PLUGIN(codec, brokkr::codecs::GzipCodec, "gzip", "0.1.0",
              "gzip (zlib) compression for Kafka record batches, codec id 1");
