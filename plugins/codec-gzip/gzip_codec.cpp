#include "gzip_codec.hpp"

#include <zlib.h>

#include <climits>
#include <memory>
#include <string>

namespace brokkr::codecs {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper only
constexpr std::size_t kChunk = 64 * 1024;

[[noreturn]] void fail(const std::string& what) { throw sdk::CodecError("gzip: " + what); }

struct InflateEnd {
  void operator()(z_stream* s) const { inflateEnd(s); }
};
struct DeflateEnd {
  void operator()(z_stream* s) const { deflateEnd(s); }
};

}  // namespace

GzipCodec::GzipCodec(const sdk::PluginContext& context) { context.config.reject_unknown_keys({}); }

void GzipCodec::compress(std::span<const std::uint8_t> input, std::optional<int> level,
                         std::vector<std::uint8_t>& output) {
  const int lvl = level.value_or(Z_DEFAULT_COMPRESSION);
  if (lvl < -1 || lvl > 9) fail("level " + std::to_string(lvl) + " is outside -1..9");
  if (input.size() > UINT_MAX) fail("input too large");

  z_stream zs{};
  if (deflateInit2(&zs, lvl, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    fail("deflateInit2 failed");
  }
  std::unique_ptr<z_stream, DeflateEnd> guard(&zs);

  const std::size_t start = output.size();
  const uLong bound = deflateBound(&zs, static_cast<uLong>(input.size()));
  output.resize(start + bound);
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = output.data() + start;
  zs.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&zs, Z_FINISH);
  if (rc != Z_STREAM_END) {
    output.resize(start);
    fail("deflate did not finish (" + std::to_string(rc) + ")");
  }
  output.resize(start + zs.total_out);
}

void GzipCodec::decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                           std::vector<std::uint8_t>& output) {
  if (input.size() > UINT_MAX) fail("input too large");
  const std::size_t start = output.size();
  try {
    z_stream zs{};
    if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) fail("inflateInit2 failed");
    std::unique_ptr<z_stream, InflateEnd> guard(&zs);
    zs.next_in = const_cast<Bytef*>(input.data());
    zs.avail_in = static_cast<uInt>(input.size());

    std::unique_ptr<std::uint8_t[]> chunk(new std::uint8_t[kChunk]);
    std::size_t produced = 0;
    for (;;) {
      zs.next_out = chunk.get();
      zs.avail_out = static_cast<uInt>(kChunk);
      const int rc = inflate(&zs, Z_NO_FLUSH);
      const std::size_t n = kChunk - zs.avail_out;
      if (n > 0) {
        if (n > max_output_bytes - produced) {
          fail("decompressed size exceeds the limit of " + std::to_string(max_output_bytes) +
               " bytes");
        }
        output.insert(output.end(), chunk.get(), chunk.get() + n);
        produced += n;
      }
      if (rc == Z_STREAM_END) {
        if (zs.avail_in == 0) break;
        // Concatenated members (GZIPInputStream reads them all).
        if (inflateReset(&zs) != Z_OK) fail("inflateReset failed");
        continue;
      }
      if (rc == Z_OK) continue;
      if (rc == Z_BUF_ERROR) {
        if (zs.avail_in == 0) fail("truncated input");
        continue;  // output space was the limit; loop gives more
      }
      fail(std::string("corrupt input: ") + (zs.msg ? zs.msg : std::to_string(rc)));
    }
  } catch (...) {
    output.resize(start);
    throw;
  }
}

}  // namespace brokkr::codecs
