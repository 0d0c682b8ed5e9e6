// Exports SnappyCodec as the `snappy` codec plugin.
#include "snappy_codec.hpp"

BROKKR_PLUGIN(codec, brokkr::codecs::SnappyCodec, "snappy", "0.1.0",
              "snappy compression (xerial stream framing; raw blocks read too), codec id 2");
