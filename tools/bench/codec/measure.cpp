#include "measure.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace brokkr::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

Measurement measure(sdk::Codec& codec, std::optional<int> level,
                    const std::vector<std::vector<std::uint8_t>>& batches, int passes) {
  std::vector<std::vector<std::uint8_t>> packed(batches.size());
  std::vector<std::uint8_t> out;
  double best_c = 1e300;
  double best_d = 1e300;
  for (int pass = 0; pass < passes; ++pass) {
    // Output buffers keep their capacity across passes, as a broker's would.
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < batches.size(); ++i) {
      packed[i].clear();
      codec.compress(batches[i], level, packed[i]);
    }
    best_c = std::min(best_c, seconds_since(t0));

    const auto t1 = Clock::now();
    for (std::size_t i = 0; i < batches.size(); ++i) {
      out.clear();
      codec.decompress(packed[i], batches[i].size(), out);
    }
    best_d = std::min(best_d, seconds_since(t1));
  }
  // Correctness, outside the timed loops.
  std::size_t plain_bytes = 0;
  std::size_t packed_bytes = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    out.clear();
    codec.decompress(packed[i], batches[i].size(), out);
    if (out != batches[i]) throw std::runtime_error("batch " + std::to_string(i) + " does not round trip");
    plain_bytes += batches[i].size();
    packed_bytes += packed[i].size();
  }
  const double mb = static_cast<double>(plain_bytes) / 1e6;
  return {static_cast<double>(plain_bytes) / static_cast<double>(packed_bytes), mb / best_c,
          mb / best_d};
}

}  // namespace brokkr::bench
