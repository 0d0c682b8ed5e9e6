// brokkr-codec-bench: compress/decompress throughput and ratio of every
// bundled codec plugin (linked as their core libraries) on a generated
// text-like corpus framed into producer batches of each --chunks size
// (batch.size). Not a test.
//
//   brokkr-codec-bench [--size-mib 64] [--chunks 16K,1M] [--passes 3] [--seed 1]
//                      [--only CODEC[:LEVEL]]... [--csv] [--write-corpus FILE]
//
// CODEC: gzip, gzip-isal, snappy, lz4, zstd; LEVEL: an integer or "default".
// --write-corpus FILE writes the records sections of the batches of the
// first --chunks size back to back, prints "batch_bytes=N" (the size of each
// full batch) and exits: codec-vs-cli.sh hands FILE and N to the zstd and
// lz4 tools.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "batches.hpp"
#include "corpus.hpp"
#include "gzip_codec.hpp"
#include "isal_gzip_codec.hpp"
#include "isal_level.hpp"
#include "lz4_codec.hpp"
#include "measure.hpp"
#include "options.hpp"
#include "snappy_codec.hpp"
#include "zstd_codec.hpp"

namespace {

using brokkr::sdk::Codec;
using brokkr::bench::Level;
using brokkr::bench::usage;

struct CodecEntry {
  std::string name;
  std::function<std::unique_ptr<Codec>()> make;
  std::vector<Level> levels;  // measured by default
};

std::vector<CodecEntry> codecs() {
  using namespace brokkr::codecs;
  return {
      {"gzip", [] { return std::make_unique<GzipCodec>(); }, {std::nullopt, 1, 9}},
      // Kafka levels 1, 2, 4 and the default reach ISA-L levels 0, 1, 2, 3.
      {"gzip-isal", [] { return std::make_unique<IsalGzipCodec>(); }, {std::nullopt, 1, 2, 4}},
      {"snappy", [] { return std::make_unique<SnappyCodec>(); }, {std::nullopt}},
      {"lz4", [] { return std::make_unique<Lz4Codec>(); }, {std::nullopt, 1}},
      {"zstd", [] { return std::make_unique<ZstdCodec>(); }, {std::nullopt, 1, 9}},
  };
}

std::string level_label(const std::string& codec, Level level) {
  std::string s = level ? std::to_string(*level) : "default";
  if (codec == "gzip-isal") {
    s += " (ISA-L " + std::to_string(brokkr::codecs::isal_level_for(level, 1 << 20).level) + ")";
  }
  return s;
}

std::string chunk_label(std::size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

}  // namespace

int main(int argc, char** argv) {
  const brokkr::bench::Options o = brokkr::bench::parse_options(argc, argv);
  const auto all = codecs();
  for (const auto& [name, level] : o.only) {
    bool known = false;
    for (const auto& c : all) known = known || c.name == name;
    if (!known) usage("unknown codec " + name);
  }
  const auto corpus = brokkr::bench::make_corpus(o.size_bytes, o.seed);
  if (!o.write_corpus.empty()) {
    const auto batches = brokkr::bench::producer_batches(corpus, o.chunks.front());
    std::ofstream f(o.write_corpus, std::ios::binary);
    for (const auto& b : batches) {
      f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }
    if (!f) {
      std::fprintf(stderr, "brokkr-codec-bench: cannot write %s\n", o.write_corpus.c_str());
      return 1;
    }
    std::printf("batch_bytes=%zu\n", batches.front().size());
    return 0;
  }

  // What to run: every codec's default levels, or the --only picks.
  std::vector<std::pair<const CodecEntry*, Level>> runs;
  for (const auto& c : all) {
    if (o.only.empty()) {
      for (const auto& l : c.levels) runs.emplace_back(&c, l);
      continue;
    }
    for (const auto& [name, level] : o.only) {
      if (name != c.name) continue;
      if (level) {
        runs.emplace_back(&c, *level);
      } else {
        for (const auto& l : c.levels) runs.emplace_back(&c, l);
      }
    }
  }

  if (o.csv) {
    std::printf("codec,level,chunk_bytes,ratio,compress_mb_s,decompress_mb_s\n");
  } else {
    std::printf("corpus: %.1f MiB of 1 KiB text-like records (seed %llu) framed into producer "
                "batches of at most batch.size bytes; best of %d passes; MB = 10^6 bytes of "
                "uncompressed data\n\n",
                static_cast<double>(corpus.size()) / (1 << 20),
                static_cast<unsigned long long>(o.seed), o.passes);
    std::printf("| codec | level | batch.size | ratio | compress MB/s | decompress MB/s |\n");
    std::printf("| --- | --- | --- | ---: | ---: | ---: |\n");
  }
  for (std::size_t chunk : o.chunks) {
    const auto batches = brokkr::bench::producer_batches(corpus, chunk);
    for (const auto& [entry, level] : runs) {
      auto codec = entry->make();
      const auto m = brokkr::bench::measure(*codec, level, batches, o.passes);
      if (o.csv) {
        std::printf("%s,%s,%zu,%.3f,%.1f,%.1f\n", entry->name.c_str(),
                    level ? std::to_string(*level).c_str() : "default", chunk, m.ratio,
                    m.compress_mb_s, m.decompress_mb_s);
      } else {
        std::printf("| %s | %s | %s | %.2f | %.0f | %.0f |\n", entry->name.c_str(),
                    level_label(entry->name, level).c_str(), chunk_label(chunk).c_str(), m.ratio,
                    m.compress_mb_s, m.decompress_mb_s);
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
