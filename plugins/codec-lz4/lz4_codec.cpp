#include "lz4_codec.hpp"

#include <lz4frame.h>

#include <memory>
#include <string>

namespace brokkr::codecs {
namespace {

constexpr int kDefaultLevel = 9;
constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 17;
constexpr std::size_t kChunk = 64 * 1024;

[[noreturn]] void fail(const std::string& what) { throw sdk::CodecError("lz4: " + what); }

struct FreeDctx {
  void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

}  // namespace

Lz4Codec::Lz4Codec(const sdk::PluginContext& context) { context.config.reject_unknown_keys({}); }

void Lz4Codec::compress(std::span<const std::uint8_t> input, std::optional<int> level,
                        std::vector<std::uint8_t>& output) {
  const int lvl = level.value_or(kDefaultLevel);
  if (lvl < kMinLevel || lvl > kMaxLevel) {
    fail("level " + std::to_string(lvl) + " is outside 1..17");
  }
  // What Kafka's Java client writes: 64 KiB independent blocks, no block
  // checksums, no content size, no content checksum.
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
  prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
  prefs.frameInfo.frameType = LZ4F_frame;
  prefs.compressionLevel = lvl;

  const std::size_t start = output.size();
  const std::size_t bound = LZ4F_compressFrameBound(input.size(), &prefs);
  output.resize(start + bound);
  const std::size_t n =
      LZ4F_compressFrame(output.data() + start, bound, input.data(), input.size(), &prefs);
  if (LZ4F_isError(n)) {
    output.resize(start);
    fail(std::string("compression failed: ") + LZ4F_getErrorName(n));
  }
  output.resize(start + n);
}

void Lz4Codec::decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                          std::vector<std::uint8_t>& output) {
  const std::size_t start = output.size();
  try {
    LZ4F_dctx* raw = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) {
      fail("cannot create a decompression context");
    }
    std::unique_ptr<LZ4F_dctx, FreeDctx> dctx(raw);
    std::unique_ptr<std::uint8_t[]> chunk(new std::uint8_t[kChunk]);

    std::size_t pos = 0;
    std::size_t produced = 0;
    std::size_t hint = 1;  // non-zero: a frame is (about to be) in progress
    while (true) {
      std::size_t in_size = input.size() - pos;
      std::size_t out_size = kChunk;
      hint = LZ4F_decompress(dctx.get(), chunk.get(), &out_size, input.data() + pos, &in_size,
                             nullptr);
      if (LZ4F_isError(hint)) fail(std::string("corrupt input: ") + LZ4F_getErrorName(hint));
      pos += in_size;
      if (out_size > 0) {
        if (out_size > max_output_bytes - produced) {
          fail("decompressed size exceeds the limit of " + std::to_string(max_output_bytes) +
               " bytes");
        }
        output.insert(output.end(), chunk.get(), chunk.get() + out_size);
        produced += out_size;
      }
      if (pos == input.size()) {
        if (hint == 0) break;                  // the last frame is complete
        if (out_size < kChunk) fail("truncated input");  // nothing left to flush
      } else if (in_size == 0 && out_size == 0) {
        fail("decoder made no progress");  // defensive: never loop forever
      }
      // hint == 0 with input left: another frame follows; the context resets.
    }
  } catch (...) {
    output.resize(start);
    throw;
  }
}

}  // namespace brokkr::codecs
