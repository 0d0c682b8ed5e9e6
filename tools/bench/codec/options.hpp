// brokkr-codec-bench's command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brokkr::bench {

using Level = std::optional<int>;

struct Options {
  std::size_t size_bytes = 64u << 20;
  std::vector<std::size_t> chunks{16u << 10, 1u << 20};
  int passes = 3;
  std::uint64_t seed = 1;
  // --only picks: codec name and level (nullopt: the codec's usual levels).
  std::vector<std::pair<std::string, std::optional<Level>>> only;
  bool csv = false;
  std::string write_corpus;
};

// Exits with the usage text on a bad command line (status 2) or --help (0).
Options parse_options(int argc, char** argv);
[[noreturn]] void usage(const std::string& why);

}  // namespace brokkr::bench
