#include "isal_gzip_codec.hpp"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "isal_level.hpp"
#include "isal_scratch.hpp"

namespace brokkr::codecs {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// gzip header (10) and trailer (8), the final block's header, and slack.
constexpr std::size_t kGzipOverhead = 64;

[[noreturn]] void fail(const std::string& what) { throw sdk::CodecError("gzip-isal: " + what); }

const char* inflate_error(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid lookback distance";
    case ISAL_INVALID_WRAPPER: return "not a gzip member";
    case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate";
    case ISAL_INCORRECT_CHECKSUM: return "checksum mismatch";
    case ISAL_NEED_DICT: return "a preset dictionary is needed";
    default: return "inflate failed";
  }
}

// Ready to read one gzip member (header, deflate data, CRC-32 and size
// trailer, all checked by ISA-L) from `in`.
void start_member(inflate_state& st, const std::uint8_t* in, std::uint32_t avail) {
  isal_inflate_init(&st);
  st.crc_flag = ISAL_GZIP;
  st.next_in = const_cast<std::uint8_t*>(in);
  st.avail_in = avail;
}

}  // namespace

IsalGzipCodec::IsalGzipCodec(const sdk::PluginContext& context) {
  context.config.reject_unknown_keys({});
}

void IsalGzipCodec::compress(std::span<const std::uint8_t> input, std::optional<int> level,
                             std::vector<std::uint8_t>& output) {
  const IsalLevel lvl = isal_level_for(level, input.size());
  if (input.size() > UINT32_MAX) fail("input too large");
  IsalScratch& scratch = IsalScratch::local();
  isal_zstream& zs = scratch.deflate_stream();
  std::uint8_t* level_buf = scratch.level_buffer(lvl.buffer_bytes);

  // One shot: the whole batch is here. Stateless deflate falls back to stored
  // blocks when compressing would not fit, so incompressible input grows by
  // 5 bytes per 64 KiB block plus header and trailer (streaming deflate grew
  // random bytes by about a quarter at ISA-L levels 0 and 1).
  const std::size_t start = output.size();
  std::size_t room = input.size() + (input.size() / 65535 + 1) * 5 + kGzipOverhead;
  for (;;) {
    output.resize(start + room);
    isal_deflate_stateless_init(&zs);
    zs.level = lvl.level;
    zs.level_buf = level_buf;
    zs.level_buf_size = static_cast<std::uint32_t>(lvl.buffer_bytes);
    zs.gzip_flag = IGZIP_GZIP;  // ISA-L's plain header: no name, MTIME 0, OS unknown
    zs.end_of_stream = 1;
    zs.next_in = const_cast<std::uint8_t*>(input.data());
    zs.avail_in = static_cast<std::uint32_t>(input.size());
    zs.next_out = output.data() + start;
    zs.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(room, UINT32_MAX));
    const int rc = isal_deflate_stateless(&zs);
    if (rc == COMP_OK) break;
    // Not expected with the room above; grow rather than trust the estimate.
    if (rc == STATELESS_OVERFLOW && room < UINT32_MAX) {
      room *= 2;
      continue;
    }
    output.resize(start);
    fail("isal_deflate_stateless failed (" + std::to_string(rc) + ")");
  }
  output.resize(start + zs.total_out);
}

void IsalGzipCodec::decompress(std::span<const std::uint8_t> input, std::size_t max_output_bytes,
                               std::vector<std::uint8_t>& output) {
  if (input.size() > UINT32_MAX) fail("input too large");
  const std::size_t start = output.size();
  try {
    IsalScratch& scratch = IsalScratch::local();
    inflate_state& st = scratch.inflate_stream();
    std::uint8_t* chunk = scratch.output_chunk(kChunk);
    start_member(st, input.data(), static_cast<std::uint32_t>(input.size()));

    std::size_t produced = 0;
    for (;;) {
      st.next_out = chunk;
      st.avail_out = static_cast<std::uint32_t>(kChunk);
      const std::uint32_t in_before = st.avail_in;
      const int rc = isal_inflate(&st);
      if (rc < 0 || rc == ISAL_NEED_DICT) fail(std::string("corrupt input: ") + inflate_error(rc));
      const std::size_t n = kChunk - st.avail_out;
      if (n > 0) {
        // Checked before the bytes are kept: a bomb stops at the limit.
        if (n > max_output_bytes - produced) {
          fail("decompressed size exceeds the limit of " + std::to_string(max_output_bytes) +
               " bytes");
        }
        output.insert(output.end(), chunk, chunk + n);
        produced += n;
      }
      if (st.block_state == ISAL_BLOCK_FINISH) {
        if (st.avail_in == 0) break;
        // Concatenated members (GZIPInputStream and zlib read them all).
        start_member(st, st.next_in, st.avail_in);
        continue;
      }
      if (st.avail_in == 0 && n < kChunk) fail("truncated input");
      if (n == 0 && st.avail_in == in_before) fail("decoder made no progress");
    }
  } catch (...) {
    output.resize(start);
    throw;
  }
}

}  // namespace brokkr::codecs
