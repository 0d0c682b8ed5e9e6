#include "isal_level.hpp"

#include <isa-l/igzip_lib.h>

#include <string>

#include "brokkr/sdk/codec.hpp"

namespace brokkr::codecs {
namespace {

// Kafka level (zlib scale) -> ISA-L level. ISA-L's four levels all sit at
// zlib's fast end (on text, ISA-L 3 compresses about like zlib 2-3), so the
// mapping keeps Kafka's order rather than matching ratios:
//   0, 1 -> 0   fastest (zlib's 0 "store" has no ISA-L equivalent; it compresses)
//   2, 3 -> 1
//   4, 5 -> 2
//   6..9 -> 3   best ratio ISA-L has
//   default (nullopt, -1; zlib's 6) -> 3, as 6 does.
constexpr std::uint32_t kByKafkaLevel[10] = {0, 0, 1, 1, 2, 2, 3, 3, 3, 3};
constexpr std::uint32_t kDefaultLevel = 3;

// A level buffer is a fixed part plus 4 bytes per token, at most one token
// per input byte; ISA-L's named sizes hold 1, 16, 32 and 64 Ki tokens (64 Ki
// is its default, and more buys nothing for batches).
struct Sizes {
  std::size_t min, small, medium, large;
};
constexpr Sizes kSizes[4] = {
    {ISAL_DEF_LVL0_MIN, ISAL_DEF_LVL0_SMALL, ISAL_DEF_LVL0_MEDIUM, ISAL_DEF_LVL0_LARGE},
    {ISAL_DEF_LVL1_MIN, ISAL_DEF_LVL1_SMALL, ISAL_DEF_LVL1_MEDIUM, ISAL_DEF_LVL1_LARGE},
    {ISAL_DEF_LVL2_MIN, ISAL_DEF_LVL2_SMALL, ISAL_DEF_LVL2_MEDIUM, ISAL_DEF_LVL2_LARGE},
    {ISAL_DEF_LVL3_MIN, ISAL_DEF_LVL3_SMALL, ISAL_DEF_LVL3_MEDIUM, ISAL_DEF_LVL3_LARGE},
};

std::size_t buffer_for(std::uint32_t level, std::size_t input_bytes) {
  constexpr std::size_t K = 1024;
  const Sizes& s = kSizes[level];
  if (input_bytes <= 1 * K) return s.min;
  if (input_bytes <= 16 * K) return s.small;
  if (input_bytes <= 32 * K) return s.medium;
  return s.large;
}

}  // namespace

IsalLevel isal_level_for(std::optional<int> kafka_level, std::size_t input_bytes) {
  const int k = kafka_level.value_or(-1);
  if (k < -1 || k > 9) {
    throw sdk::CodecError("gzip-isal: level " + std::to_string(k) + " is outside -1..9");
  }
  const std::uint32_t level = k == -1 ? kDefaultLevel : kByKafkaLevel[k];
  return {level, buffer_for(level, input_bytes)};
}

}  // namespace brokkr::codecs
