#include "zstd_codec.hpp"

#include <zstd.h>

#include <memory>
#include <string>

namespace brokkr::codecs {
namespace {

constexpr int kDefaultLevel = 3;
constexpr std::size_t kChunk = 64 * 1024;

[[noreturn]] void fail(const std::string& what) { throw sdk::CodecError("zstd: " + what); }

struct FreeCctx {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct FreeDctx {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

}  // namespace

ZstdCodec::ZstdCodec(const sdk::PluginContext& context) { context.config.reject_unknown_keys({}); }

void ZstdCodec::compress(std::span<const std::uint8_t> input, std::optional<int> level,
                         std::vector<std::uint8_t>& output) {
  const int lvl = level.value_or(kDefaultLevel);
  if (lvl < ZSTD_minCLevel() || lvl > ZSTD_maxCLevel()) {
    fail("level " + std::to_string(lvl) + " is outside " + std::to_string(ZSTD_minCLevel()) +
         ".." + std::to_string(ZSTD_maxCLevel()));
  }
  std::unique_ptr<ZSTD_CCtx, FreeCctx> cctx(ZSTD_createCCtx());
  if (!cctx) fail("cannot create a compression context");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, lvl);

  const std::size_t start = output.size();
  const std::size_t bound = ZSTD_compressBound(input.size());
  output.resize(start + bound);
  const std::size_t n =
      ZSTD_compress2(cctx.get(), output.data() + start, bound, input.data(), input.size());
  if (ZSTD_isError(n)) {
    output.resize(start);
    fail(std::string("compression failed: ") + ZSTD_getErrorName(n));
  }
  output.resize(start + n);
}

void ZstdCodec::decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                           std::vector<std::uint8_t>& output) {
  const std::size_t start = output.size();
  try {
    // Quick refusal when the first frame declares a size over the limit.
    const unsigned long long declared = ZSTD_getFrameContentSize(input.data(), input.size());
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
        declared > max_output_bytes) {
      fail("frame declares " + std::to_string(declared) + " bytes, over the limit of " +
           std::to_string(max_output_bytes));
    }

    std::unique_ptr<ZSTD_DCtx, FreeDctx> dctx(ZSTD_createDCtx());
    if (!dctx) fail("cannot create a decompression context");
    // zstd's default window cap (2^27) stays: frames needing more are refused.
    std::unique_ptr<std::uint8_t[]> chunk(new std::uint8_t[kChunk]);

    ZSTD_inBuffer in{input.data(), input.size(), 0};
    std::size_t produced = 0;
    while (true) {
      ZSTD_outBuffer out{chunk.get(), kChunk, 0};
      const std::size_t hint = ZSTD_decompressStream(dctx.get(), &out, &in);
      if (ZSTD_isError(hint)) fail(std::string("corrupt input: ") + ZSTD_getErrorName(hint));
      if (out.pos > 0) {
        if (out.pos > max_output_bytes - produced) {
          fail("decompressed size exceeds the limit of " + std::to_string(max_output_bytes) +
               " bytes");
        }
        output.insert(output.end(), chunk.get(), chunk.get() + out.pos);
        produced += out.pos;
      }
      if (in.pos == in.size) {
        // 0: the last frame is complete and fully flushed (even when it
        // filled the chunk exactly: calling again would start a new frame).
        if (hint == 0) break;
        if (out.pos < out.size) fail("truncated input");
      }
      // Otherwise: input left (maybe another frame) or output pending a flush.
    }
  } catch (...) {
    output.resize(start);
    throw;
  }
}

}  // namespace brokkr::codecs
