// The codec plugins: round trips at several levels, data from the reference
// command-line tools (and back), corrupt and truncated input, and
// decompression bombs refused without a large allocation.
#include <snappy.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gzip_codec.hpp"
#include "lz4_codec.hpp"
#include "snappy_codec.hpp"
#include "support/test_dirs.hpp"
#include "zstd_codec.hpp"

namespace {

using brokkr::sdk::Codec;
using brokkr::sdk::CodecError;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMiB = 1024 * 1024;

Bytes text_data(std::size_t n) {
  static const char* words[] = {"kafka ", "broker ", "record ", "batch ", "offset ", "topic ",
                                "partition ", "leader ", "{\"key\": 42, ", "\"value\": \"x\"}\n"};
  std::mt19937 rng(7);
  Bytes out;
  while (out.size() < n) {
    const std::string w = words[rng() % 10];
    out.insert(out.end(), w.begin(), w.end());
  }
  out.resize(n);
  return out;
}

Bytes noise_data(std::size_t n, unsigned seed = 11) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

Bytes compress(Codec& codec, const Bytes& in, std::optional<int> level = std::nullopt) {
  Bytes out;
  codec.compress(in, level, out);
  return out;
}

Bytes decompress(Codec& codec, const Bytes& in, std::size_t max = 64 * kMiB) {
  Bytes out;
  codec.decompress(in, max, out);
  return out;
}

struct CodecCase {
  std::string name;
  std::function<std::unique_ptr<Codec>()> make;
  std::vector<std::optional<int>> levels;
  std::vector<int> bad_levels;
  // Reference tool: compress `in` to `out`, and decompress `in` to `out`.
  std::string tool;
  std::string tool_compress;
  std::string tool_decompress;
};

std::vector<CodecCase> all_cases() {
  using namespace brokkr::codecs;
  return {
      {"gzip", [] { return std::make_unique<GzipCodec>(); },
       {std::nullopt, -1, 0, 1, 6, 9}, {-2, 10}, "gzip", "gzip -c -6 < IN > OUT",
       "gzip -dc < IN > OUT"},
      {"snappy", [] { return std::make_unique<SnappyCodec>(); }, {std::nullopt, 1}, {}, "", "",
       ""},
      {"lz4", [] { return std::make_unique<Lz4Codec>(); },
       {std::nullopt, 1, 2, 3, 9, 12, 17}, {0, 18}, "lz4", "lz4 -q -c IN > OUT",
       "lz4 -q -dc IN > OUT"},
      {"zstd", [] { return std::make_unique<ZstdCodec>(); },
       {std::nullopt, -5, 1, 3, 9, 19}, {ZSTD_maxCLevel() + 1}, "zstd", "zstd -q -c IN > OUT",
       "zstd -q -dc IN > OUT"},
  };
}

bool have_tool(const std::string& tool) {
  return !tool.empty() &&
         std::system(("command -v " + tool + " > /dev/null 2>&1").c_str()) == 0;
}

void write_file(const std::filesystem::path& p, const Bytes& data) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

Bytes read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::string substitute(std::string cmd, const std::filesystem::path& in,
                       const std::filesystem::path& out) {
  auto replace = [&](const std::string& key, const std::string& value) {
    const auto at = cmd.find(key);
    if (at != std::string::npos) cmd.replace(at, key.size(), "'" + value + "'");
  };
  replace("IN", in.string());
  replace("OUT", out.string());
  return cmd;
}

}  // namespace

TEST_CASE("codecs report their type") {
  using brokkr::sdk::CompressionType;
  CHECK(brokkr::codecs::GzipCodec().type() == CompressionType::gzip);
  CHECK(brokkr::codecs::SnappyCodec().type() == CompressionType::snappy);
  CHECK(brokkr::codecs::Lz4Codec().type() == CompressionType::lz4);
  CHECK(brokkr::codecs::ZstdCodec().type() == CompressionType::zstd);
}

TEST_CASE("codecs construct from a plugin context and reject unknown keys") {
  brokkr::sdk::PluginContext context;
  context.plugin_name = "gzip";
  CHECK_NOTHROW(brokkr::codecs::GzipCodec(context));
  CHECK_NOTHROW(brokkr::codecs::SnappyCodec(context));
  CHECK_NOTHROW(brokkr::codecs::Lz4Codec(context));
  CHECK_NOTHROW(brokkr::codecs::ZstdCodec(context));
}

TEST_CASE("codecs round trip text, random and edge-size data at every level") {
  // Exact multiples of 64 KiB too: a decoder's output chunk can end exactly
  // where the frame ends (zstd once took that for truncated input).
  const std::vector<Bytes> inputs = {Bytes{},          Bytes{'x'},         text_data(100),
                                     text_data(300000), noise_data(100000), Bytes(200000, 0),
                                     text_data(65536),  text_data(131072)};
  for (const auto& c : all_cases()) {
    auto codec = c.make();
    for (const auto& level : c.levels) {
      for (const auto& in : inputs) {
        INFO(c.name << " level " << (level ? std::to_string(*level) : "default") << " size "
                    << in.size());
        const Bytes z = compress(*codec, in, level);
        if (in.size() > 1000 && in[0] == 0 && level != 0) CHECK(z.size() < in.size() / 10);
        if (in.empty() && c.name == "snappy") {
          CHECK(z.size() == 16);  // xerial header only
        }
        if (in.empty() && c.name != "snappy") {
          CHECK(decompress(*codec, z).empty());
        } else {
          CHECK(decompress(*codec, z) == in);
        }
      }
    }
  }
}

TEST_CASE("codecs append to existing output, honour exact limits, and roll back on failure") {
  const Bytes in = text_data(100000);
  for (const auto& c : all_cases()) {
    INFO(c.name);
    auto codec = c.make();
    Bytes z{9, 9, 9};
    codec->compress(in, std::nullopt, z);
    REQUIRE(z.size() > 3);
    const Bytes zz(z.begin() + 3, z.end());

    Bytes out{1, 2};
    codec->decompress(zz, in.size(), out);  // the limit is exactly the size
    REQUIRE(out.size() == in.size() + 2);
    CHECK(out[0] == 1);
    CHECK(out[1] == 2);
    CHECK(Bytes(out.begin() + 2, out.end()) == in);

    Bytes out2{5};
    CHECK_THROWS_AS(codec->decompress(zz, in.size() - 1, out2), CodecError);
    CHECK(out2 == Bytes{5});
  }
}

TEST_CASE("codecs refuse out-of-range levels") {
  for (const auto& c : all_cases()) {
    auto codec = c.make();
    for (int level : c.bad_levels) {
      INFO(c.name << " level " << level);
      Bytes out;
      CHECK_THROWS_AS(codec->compress(text_data(10), level, out), CodecError);
    }
  }
}

TEST_CASE("codecs read what the reference tools write, and the tools read theirs") {
  const Bytes in = text_data(500000);
  brokkr::test::TempDir dir("brokkr-codec");
  for (const auto& c : all_cases()) {
    if (c.tool.empty()) continue;
    if (!have_tool(c.tool)) {
      WARN("reference tool `" << c.tool << "` not installed: skipping its interop check");
      continue;
    }
    INFO(c.name);
    auto codec = c.make();
    const auto plain = dir.path() / (c.name + ".in");
    const auto packed = dir.path() / (c.name + ".z");
    const auto back = dir.path() / (c.name + ".out");
    write_file(plain, in);
    REQUIRE(std::system(substitute(c.tool_compress, plain, packed).c_str()) == 0);
    CHECK(decompress(*codec, read_file(packed)) == in);

    // Streamed through a pipe the tools leave the content size out.
    const auto piped = dir.path() / (c.name + ".piped.z");
    REQUIRE(std::system(("cat '" + plain.string() + "' | " + c.tool + " -c > '" +
                         piped.string() + "'")
                            .c_str()) == 0);
    CHECK(decompress(*codec, read_file(piped)) == in);

    for (const auto& level : c.levels) {
      write_file(packed, compress(*codec, in, level));
      std::filesystem::remove(back);
      REQUIRE(std::system(substitute(c.tool_decompress, packed, back).c_str()) == 0);
      CHECK(read_file(back) == in);
    }
  }
}

TEST_CASE("snappy reads hand-built xerial frames and bare snappy blocks") {
  brokkr::codecs::SnappyCodec codec;
  const Bytes a = text_data(40000);
  const Bytes b = noise_data(5000);
  auto raw = [](const Bytes& in) {
    std::string out;
    snappy::Compress(reinterpret_cast<const char*>(in.data()), in.size(), &out);
    return Bytes(out.begin(), out.end());
  };
  auto header = [](Bytes& out) {
    const Bytes h{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
    out.insert(out.end(), h.begin(), h.end());
  };
  auto block = [&](Bytes& out, const Bytes& in) {
    const Bytes z = raw(in);
    const auto n = static_cast<std::uint32_t>(z.size());
    out.push_back(static_cast<std::uint8_t>(n >> 24));
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
    out.insert(out.end(), z.begin(), z.end());
  };
  Bytes expected = a;
  expected.insert(expected.end(), b.begin(), b.end());

  SECTION("one stream, blocks of any size") {
    Bytes frame;
    header(frame);
    block(frame, a);
    block(frame, b);
    CHECK(decompress(codec, frame) == expected);
  }
  SECTION("concatenated streams") {
    Bytes frame;
    header(frame);
    block(frame, a);
    header(frame);
    block(frame, b);
    CHECK(decompress(codec, frame) == expected);
  }
  SECTION("a bare snappy block") { CHECK(decompress(codec, raw(a)) == a); }
  SECTION("our framing has 32 KiB blocks and the xerial header") {
    const Bytes z = compress(codec, a);
    REQUIRE(z.size() > 20);
    CHECK(Bytes(z.begin(), z.begin() + 16) ==
          Bytes{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1});
    const std::uint32_t first = (std::uint32_t{z[16]} << 24) | (std::uint32_t{z[17]} << 16) |
                                (std::uint32_t{z[18]} << 8) | z[19];
    std::size_t length = 0;
    REQUIRE(snappy::GetUncompressedLength(reinterpret_cast<const char*>(z.data() + 20), first,
                                          &length));
    CHECK(length == 32 * 1024);
  }
  SECTION("a zero or negative block length is corrupt") {
    Bytes frame;
    header(frame);
    frame.insert(frame.end(), {0, 0, 0, 0});
    CHECK_THROWS_AS(decompress(codec, frame), CodecError);
    Bytes frame2;
    header(frame2);
    frame2.insert(frame2.end(), {0xff, 0xff, 0xff, 0xf0, 1, 2, 3});
    CHECK_THROWS_AS(decompress(codec, frame2), CodecError);
  }
}

TEST_CASE("codecs refuse corrupt input") {
  const Bytes in = text_data(100000);
  for (const auto& c : all_cases()) {
    INFO(c.name);
    auto codec = c.make();
    CHECK_THROWS_AS(decompress(*codec, Bytes{}), CodecError);
    CHECK_THROWS_AS(decompress(*codec, noise_data(1000, 3)), CodecError);
    CHECK_THROWS_AS(decompress(*codec, Bytes(1000, 0xff)), CodecError);

    Bytes z = compress(*codec, in);
    Bytes bad_magic = z;
    bad_magic[1] ^= 0x5a;
    // (snappy then reads it as a bare block, which is just as corrupt)
    CHECK_THROWS_AS(decompress(*codec, bad_magic), CodecError);
  }
  SECTION("gzip's CRC catches a flipped body byte") {
    brokkr::codecs::GzipCodec gzip;
    Bytes z = compress(gzip, in);
    z[z.size() / 2] ^= 0x01;
    CHECK_THROWS_AS(decompress(gzip, z), CodecError);
  }
  SECTION("lz4 frame header checksum is checked") {
    brokkr::codecs::Lz4Codec lz4;
    Bytes z = compress(lz4, in);
    z[6] ^= 0x01;  // the header checksum byte (no content size: FLG, BD, HC)
    CHECK_THROWS_AS(decompress(lz4, z), CodecError);
  }
  SECTION("snappy block corruption") {
    brokkr::codecs::SnappyCodec sn;
    Bytes z = compress(sn, in);
    z[21] = 0xff;  // inside the first block's varint length / first tag
    z[22] = 0xff;
    z[23] = 0xff;
    CHECK_THROWS_AS(decompress(sn, z), CodecError);
  }
}

TEST_CASE("codecs refuse truncated input") {
  const Bytes in = text_data(200000);
  for (const auto& c : all_cases()) {
    auto codec = c.make();
    const Bytes z = compress(*codec, in);
    for (std::size_t keep : {z.size() - 1, z.size() - 4, z.size() / 2, std::size_t{10},
                             std::size_t{3}, std::size_t{1}}) {
      INFO(c.name << " keeping " << keep << " of " << z.size());
      Bytes out;
      CHECK_THROWS_AS(codec->decompress(std::span(z).first(keep), 64 * kMiB, out), CodecError);
      CHECK(out.empty());
    }
  }
}

TEST_CASE("codecs refuse decompression bombs without allocating them") {
  const Bytes zeros(64 * kMiB, 0);
  std::vector<std::pair<std::string, Bytes>> bombs;
  for (const auto& c : all_cases()) {
    auto codec = c.make();
    bombs.emplace_back(c.name, compress(*codec, zeros));
  }
  {  // zstd without a declared content size: only the streaming bound stops it
    std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 0);
    Bytes z(ZSTD_compressBound(zeros.size()));
    ZSTD_outBuffer out{z.data(), z.size(), 0};
    ZSTD_inBuffer in{zeros.data(), zeros.size(), 0};
    REQUIRE(ZSTD_compressStream2(cctx.get(), &out, &in, ZSTD_e_end) == 0);
    z.resize(out.pos);
    REQUIRE(ZSTD_getFrameContentSize(z.data(), z.size()) == ZSTD_CONTENTSIZE_UNKNOWN);
    bombs.emplace_back("zstd", std::move(z));
  }
  {  // a bare snappy block declaring 64 MiB
    std::string z;
    snappy::Compress(reinterpret_cast<const char*>(zeros.data()), zeros.size(), &z);
    bombs.emplace_back("snappy", Bytes(z.begin(), z.end()));
  }
  const auto cases = all_cases();
  for (const auto& [name, bomb] : bombs) {
    INFO(name << " bomb of " << bomb.size() << " bytes");
    std::unique_ptr<Codec> codec;
    for (const auto& c : cases) {
      if (c.name == name) codec = c.make();
    }
    Bytes out;
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(codec->decompress(bomb, kMiB, out), CodecError);
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    CHECK(out.capacity() <= 2 * kMiB);
    CHECK(out.empty());
    CHECK((elapsed < std::chrono::seconds(2)));
  }
}
