#include "options.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace brokkr::bench {
namespace {

constexpr const char* kUsage =
    "usage: brokkr-codec-bench [--size-mib N] [--chunks 16K,1M] [--passes N] [--seed N]\n"
    "                          [--only CODEC[:LEVEL]]... [--csv] [--write-corpus FILE]\n"
    "  --size-mib N      corpus size (default 64)\n"
    "  --chunks LIST     batch.size values, bytes or K/M (default 16K,1M)\n"
    "  --passes N        passes per figure, the fastest counts (default 3)\n"
    "  --seed N          corpus seed (default 1)\n"
    "  --only C[:L]      measure only codec C (gzip, gzip-isal, snappy, lz4, zstd), at\n"
    "                    level L (an integer or default) or at its usual levels; repeatable\n"
    "  --csv             codec,level,chunk_bytes,ratio,compress_mb_s,decompress_mb_s\n"
    "  --write-corpus F  write the first --chunks size's batches to F, print batch_bytes=N\n";

std::size_t parse_size(const std::string& s) {
  std::size_t used = 0;
  const unsigned long long v = std::stoull(s, &used);
  const std::string unit = s.substr(used);
  if (unit.empty()) return v;
  if (unit == "K" || unit == "k") return v << 10;
  if (unit == "M" || unit == "m") return v << 20;
  throw std::invalid_argument("bad size " + s);
}

}  // namespace

void usage(const std::string& why) {
  std::fprintf(stderr, "brokkr-codec-bench: %s\n%s", why.c_str(), kUsage);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--help") {
        std::fputs(kUsage, stdout);
        std::exit(0);
      } else if (a == "--size-mib") {
        o.size_bytes = std::stoull(value()) << 20;
      } else if (a == "--chunks") {
        o.chunks.clear();
        std::string list = value();
        for (std::size_t at = 0; at <= list.size();) {
          const std::size_t comma = std::min(list.find(',', at), list.size());
          o.chunks.push_back(parse_size(list.substr(at, comma - at)));
          at = comma + 1;
        }
      } else if (a == "--passes") {
        o.passes = std::stoi(value());
      } else if (a == "--seed") {
        o.seed = std::stoull(value());
      } else if (a == "--only") {
        const std::string spec = value();
        const auto colon = spec.find(':');
        if (colon == std::string::npos) {
          o.only.emplace_back(spec, std::nullopt);
        } else {
          const std::string l = spec.substr(colon + 1);
          o.only.emplace_back(spec.substr(0, colon),
                              Level(l == "default" ? Level() : Level(std::stoi(l))));
        }
      } else if (a == "--csv") {
        o.csv = true;
      } else if (a == "--write-corpus") {
        o.write_corpus = value();
      } else {
        usage("unknown argument " + a);
      }
    } catch (const std::logic_error&) {
      usage("bad value for " + a);
    }
  }
  if (o.passes < 1 || o.size_bytes == 0) usage("--passes and --size-mib must be positive");
  for (std::size_t c : o.chunks) {
    if (c == 0) usage("chunk sizes must be positive");
  }
  return o;
}

}  // namespace brokkr::bench
