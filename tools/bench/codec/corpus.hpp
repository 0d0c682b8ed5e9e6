// A deterministic text-like corpus for the codec benchmark: 1 KiB records,
// alternately JSON-ish log lines and prose-like word runs, words drawn with a
// skewed (roughly Zipf) frequency, plus timestamps, ids and hex trace ids
// that compress the way real ones do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace brokkr::bench {

constexpr std::size_t kRecordBytes = 1024;

// `bytes` rounded up to whole records; the same seed gives the same bytes.
std::vector<std::uint8_t> make_corpus(std::size_t bytes, std::uint64_t seed);

}  // namespace brokkr::bench
