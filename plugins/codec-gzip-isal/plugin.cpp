// Exports IsalGzipCodec as the `gzip-isal` codec plugin.
#include "isal_gzip_codec.hpp"

BROKKR_PLUGIN(codec, brokkr::codecs::IsalGzipCodec, "gzip-isal", "0.1.0",
              "gzip compression with Intel ISA-L (igzip) for Kafka record batches, codec id 1");
