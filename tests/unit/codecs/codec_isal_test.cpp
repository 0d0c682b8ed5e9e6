// The `gzip-isal` codec (ISA-L): round trips at every Kafka level, the level
// mapping, interop both ways with the zlib `gzip` codec and the gzip CLI,
// multi-member input, corrupt and truncated input, and the bomb bound.
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gzip_codec.hpp"
#include "isal_gzip_codec.hpp"
#include "isal_level.hpp"
#include "support/test_dirs.hpp"

namespace {

using brokkr::codecs::GzipCodec;
using brokkr::codecs::IsalGzipCodec;
using brokkr::sdk::CodecError;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMiB = 1024 * 1024;

// Every level Kafka's compression.gzip.level can carry, and the default.
const std::vector<std::optional<int>> kLevels = {std::nullopt, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

std::string level_name(std::optional<int> level) {
  return level ? std::to_string(*level) : "default";
}

Bytes log_lines(std::size_t n, unsigned seed = 5) {
  static const char* words[] = {"kafka", "broker", "record", "batch", "offset", "topic",
                                "partition", "leader", "GET", "/api/v1/orders", "200", "latency"};
  std::mt19937 rng(seed);
  std::string s;
  while (s.size() < n) {
    s += "{\"ts\": " + std::to_string(1700000000 + rng() % 100000) + ", \"msg\": \"";
    for (int i = 0; i < 8; ++i) s += std::string(words[rng() % 12]) + " ";
    s += "\"}\n";
  }
  s.resize(n);
  return Bytes(s.begin(), s.end());
}

Bytes noise(std::size_t n, unsigned seed = 11) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes compress(brokkr::sdk::Codec& codec, const Bytes& in,
               std::optional<int> level = std::nullopt) {
  Bytes out;
  codec.compress(in, level, out);
  return out;
}

Bytes decompress(brokkr::sdk::Codec& codec, const Bytes& in, std::size_t max = 256 * kMiB) {
  Bytes out;
  codec.decompress(in, max, out);
  return out;
}

std::uint32_t le32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) |
         (std::uint32_t{b[at + 2]} << 16) | (std::uint32_t{b[at + 3]} << 24);
}

// A gzip member with every optional header field (FEXTRA, FNAME, FCOMMENT,
// FHCRC), as zlib writes it when asked to.
Bytes member_with_full_header(const Bytes& in) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  Bytef extra[] = {'B', 'K', 2, 0, 'h', 'i'};
  char name[] = "records.bin";
  char comment[] = "from a test";
  gz_header header{};
  header.time = 1700000000;
  header.os = 3;
  header.extra = extra;
  header.extra_len = sizeof extra;
  header.name = reinterpret_cast<Bytef*>(name);
  header.comment = reinterpret_cast<Bytef*>(comment);
  header.hcrc = 1;
  REQUIRE(deflateSetHeader(&zs, &header) == Z_OK);
  Bytes out(deflateBound(&zs, in.size()) + 64);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

bool have_gzip_cli() { return std::system("command -v gzip > /dev/null 2>&1") == 0; }

void write_file(const std::filesystem::path& p, const Bytes& data) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

Bytes read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

int run(const std::string& command) { return std::system(command.c_str()); }

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("gzip-isal is a gzip codec and takes no settings") {
  CHECK(IsalGzipCodec().type() == brokkr::sdk::CompressionType::gzip);
  brokkr::sdk::PluginContext context;
  context.plugin_name = "gzip-isal";
  CHECK_NOTHROW(IsalGzipCodec(context));
}

TEST_CASE("gzip-isal maps Kafka's gzip levels onto ISA-L's 0..3") {
  using brokkr::codecs::isal_level_for;
  const std::uint32_t expected[] = {0, 0, 1, 1, 2, 2, 3, 3, 3, 3};
  for (int k = 0; k <= 9; ++k) {
    INFO("Kafka level " << k);
    CHECK(isal_level_for(k, 1000).level == expected[k]);
  }
  CHECK(isal_level_for(std::nullopt, 1000).level == 3);
  CHECK(isal_level_for(-1, 1000).level == 3);
  CHECK_THROWS_AS(isal_level_for(-2, 1000), CodecError);
  CHECK_THROWS_AS(isal_level_for(10, 1000), CodecError);

  SECTION("level buffers: none for 0, at least ISA-L's minimum, grown with the input") {
    CHECK(isal_level_for(1, 1 * kMiB).buffer_bytes == 0);
    CHECK(isal_level_for(3, 100).buffer_bytes == ISAL_DEF_LVL1_MIN);
    CHECK(isal_level_for(5, 100).buffer_bytes == ISAL_DEF_LVL2_MIN);
    CHECK(isal_level_for(9, 100).buffer_bytes == ISAL_DEF_LVL3_MIN);
    CHECK(isal_level_for(9, 16 * 1024).buffer_bytes == ISAL_DEF_LVL3_SMALL);
    CHECK(isal_level_for(9, 20 * 1024).buffer_bytes == ISAL_DEF_LVL3_MEDIUM);
    CHECK(isal_level_for(9, 1 * kMiB).buffer_bytes == ISAL_DEF_LVL3_DEFAULT);
    CHECK(isal_level_for(std::nullopt, 64 * kMiB).buffer_bytes == ISAL_DEF_LVL3_DEFAULT);
  }
}

TEST_CASE("gzip-isal round trips at every level") {
  const std::vector<Bytes> inputs = {Bytes{},         Bytes{'x'},     log_lines(100),
                                     log_lines(1000), log_lines(300000), noise(100000),
                                     Bytes(200000, 0), log_lines(3 * kMiB + 17)};
  IsalGzipCodec codec;
  for (const auto& level : kLevels) {
    for (const auto& in : inputs) {
      INFO("level " << level_name(level) << ", " << in.size() << " bytes");
      const Bytes z = compress(codec, in, level);
      CHECK(decompress(codec, z) == in);
      if (in.size() == 200000) CHECK(z.size() < in.size() / 10);
      if (in.size() == 100000) CHECK(z.size() < in.size() + 1024);  // noise barely grows
    }
  }
}

TEST_CASE("gzip-isal refuses levels outside Kafka's range") {
  IsalGzipCodec codec;
  for (int level : {-2, 10, 100}) {
    Bytes out{7};
    CHECK_THROWS_AS(codec.compress(log_lines(10), level, out), CodecError);
    CHECK(out == Bytes{7});
  }
}

TEST_CASE("gzip-isal writes one standard gzip member") {
  IsalGzipCodec codec;
  const Bytes in = log_lines(50000);
  const Bytes z = compress(codec, in);
  REQUIRE(z.size() > 18);
  CHECK(z[0] == 0x1f);
  CHECK(z[1] == 0x8b);
  CHECK(z[2] == 8);                 // deflate
  CHECK((z[3] & 0xe0) == 0);        // no reserved flag bits
  const auto crc = crc32(0L, in.data(), static_cast<uInt>(in.size()));
  CHECK(le32(z, z.size() - 8) == crc);
  CHECK(le32(z, z.size() - 4) == in.size());
}

TEST_CASE("gzip-isal appends to existing output and rolls back on failure") {
  IsalGzipCodec codec;
  const Bytes in = log_lines(100000);
  Bytes z{9, 9, 9};
  codec.compress(in, std::nullopt, z);
  const Bytes member(z.begin() + 3, z.end());
  CHECK(decompress(codec, member) == in);

  Bytes out{1, 2};
  codec.decompress(member, in.size(), out);  // the limit is exactly the size
  CHECK(out == concat({Bytes{1, 2}, in}));
  Bytes out2{5};
  CHECK_THROWS_AS(codec.decompress(member, in.size() - 1, out2), CodecError);
  CHECK(out2 == Bytes{5});
}

TEST_CASE("gzip-isal and the zlib gzip codec read each other") {
  IsalGzipCodec isal;
  GzipCodec zlib;
  const std::vector<Bytes> inputs = {Bytes{}, log_lines(1), log_lines(70000),
                                     log_lines(2 * kMiB), noise(50000)};
  for (const auto& level : kLevels) {
    for (const auto& in : inputs) {
      INFO("level " << level_name(level) << ", " << in.size() << " bytes");
      CHECK(decompress(zlib, compress(isal, in, level)) == in);
      CHECK(decompress(isal, compress(zlib, in, level)) == in);
    }
  }
  SECTION("zlib's optional header fields") {
    const Bytes in = log_lines(40000);
    CHECK(decompress(isal, member_with_full_header(in)) == in);
  }
}

TEST_CASE("gzip-isal reads concatenated members") {
  IsalGzipCodec isal;
  GzipCodec zlib;
  const Bytes a = log_lines(100000, 1);
  const Bytes b = log_lines(70000, 2);
  const Bytes c = noise(3000);
  SECTION("members from both codecs, one of them empty") {
    const Bytes z = concat({compress(isal, a), compress(zlib, Bytes{}), compress(zlib, b),
                            compress(isal, c, 1), member_with_full_header(a)});
    CHECK(decompress(isal, z) == concat({a, b, c, a}));
    CHECK(decompress(zlib, z) == concat({a, b, c, a}));
  }
  SECTION("many tiny members") {
    Bytes z;
    Bytes expected;
    for (int i = 0; i < 200; ++i) {
      const Bytes piece = log_lines(static_cast<std::size_t>(i), static_cast<unsigned>(i));
      brokkr::sdk::Codec& writer = i % 2 ? static_cast<brokkr::sdk::Codec&>(isal) : zlib;
      const Bytes m = compress(writer, piece);
      z.insert(z.end(), m.begin(), m.end());
      expected.insert(expected.end(), piece.begin(), piece.end());
    }
    CHECK(decompress(isal, z) == expected);
  }
  SECTION("the limit counts every member") {
    const Bytes z = concat({compress(isal, a), compress(isal, b)});
    CHECK(decompress(isal, z, a.size() + b.size()).size() == a.size() + b.size());
    Bytes out;
    CHECK_THROWS_AS(isal.decompress(z, a.size() + b.size() - 1, out), CodecError);
    CHECK(out.empty());
  }
}

TEST_CASE("gzip-isal interoperates with the gzip command-line tool") {
  if (!have_gzip_cli()) {
    WARN("`gzip` not installed: skipping the CLI interop check");
    return;
  }
  IsalGzipCodec codec;
  const Bytes in = log_lines(600000);
  brokkr::test::TempDir dir("brokkr-isal");
  const auto plain = dir.path() / "records.txt";
  const auto packed = dir.path() / "records.gz";
  const auto back = dir.path() / "records.out";
  write_file(plain, in);

  SECTION("the CLI reads ours, at every level") {
    for (const auto& level : kLevels) {
      INFO("level " << level_name(level));
      write_file(packed, compress(codec, in, level));
      REQUIRE(run("gzip -t " + quoted(packed)) == 0);
      REQUIRE(run("gzip -dc < " + quoted(packed) + " > " + quoted(back)) == 0);
      CHECK(read_file(back) == in);
    }
  }
  SECTION("we read the CLI's, with and without a stored name, and concatenated") {
    for (int level : {1, 6, 9}) {
      INFO("gzip -" << level);
      const std::string l = " -" + std::to_string(level);
      REQUIRE(run("gzip -c -n" + l + " < " + quoted(plain) + " > " + quoted(packed)) == 0);
      CHECK(decompress(codec, read_file(packed)) == in);
      REQUIRE(run("gzip -c -N" + l + " " + quoted(plain) + " > " + quoted(packed)) == 0);
      CHECK(decompress(codec, read_file(packed)) == in);
    }
    REQUIRE(run("(gzip -c " + quoted(plain) + "; gzip -c < " + quoted(plain) + ") > " +
                quoted(packed)) == 0);
    CHECK(decompress(codec, read_file(packed)) == concat({in, in}));
  }
}

// Kafka's Java client reads gzip batches with java.util.zip.GZIPInputStream
// and writes them with GZIPOutputStream: a single-file Java program does the
// same here ("d IN OUT..." decompresses, "c IN OUT" compresses).
constexpr const char* kJavaGzip = R"(
import java.io.*;
import java.util.zip.*;
public class GzipCat {
  public static void main(String[] a) throws IOException {
    for (int i = 1; i + 1 < a.length; i += 2) {
      try (InputStream in = a[0].equals("d") ? new GZIPInputStream(new FileInputStream(a[i]))
                                             : new FileInputStream(a[i]);
           OutputStream out = a[0].equals("d") ? new FileOutputStream(a[i + 1])
                                               : new GZIPOutputStream(new FileOutputStream(a[i + 1]))) {
        in.transferTo(out);
      }
    }
  }
}
)";

TEST_CASE("gzip-isal interoperates with Java's GZIPInputStream and GZIPOutputStream") {
  if (std::system("command -v java > /dev/null 2>&1") != 0) {
    WARN("`java` not installed: skipping the Java interop check");
    return;
  }
  IsalGzipCodec codec;
  const Bytes in = log_lines(400000);
  brokkr::test::TempDir dir("brokkr-isal-java");
  const auto program = dir.path() / "GzipCat.java";
  {
    std::ofstream f(program);
    f << kJavaGzip;
  }
  std::string args;
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    const auto packed = dir.path() / ("ours-" + std::to_string(i) + ".gz");
    write_file(packed, compress(codec, in, kLevels[i]));
    args += " " + quoted(packed) + " " + quoted(dir.path() / ("ours-" + std::to_string(i)));
  }
  REQUIRE(run("java " + quoted(program) + " d" + args) == 0);
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    INFO("level " << level_name(kLevels[i]));
    CHECK(read_file(dir.path() / ("ours-" + std::to_string(i))) == in);
  }

  const auto plain = dir.path() / "plain";
  const auto theirs = dir.path() / "theirs.gz";
  write_file(plain, in);
  REQUIRE(run("java " + quoted(program) + " c " + quoted(plain) + " " + quoted(theirs)) == 0);
  CHECK(decompress(codec, read_file(theirs)) == in);
}

TEST_CASE("gzip-isal refuses corrupt input") {
  IsalGzipCodec codec;
  const Bytes in = log_lines(100000);
  const Bytes z = compress(codec, in);
  auto refused = [&](const Bytes& bad) {
    Bytes out{4, 2};
    CHECK_THROWS_AS(codec.decompress(bad, 64 * kMiB, out), CodecError);
    CHECK(out == Bytes{4, 2});
  };
  SECTION("not gzip at all") {
    refused(Bytes{});
    refused(noise(1000, 3));
    refused(Bytes(1000, 0xff));
    refused(Bytes(1000, 0));
  }
  SECTION("a damaged header") {
    Bytes bad_magic = z;
    bad_magic[1] ^= 0x5a;
    refused(bad_magic);
    Bytes bad_method = z;
    bad_method[2] = 7;
    refused(bad_method);
  }
  SECTION("a flipped body byte, CRC or size") {
    for (std::size_t at : {z.size() / 2, z.size() - 8, z.size() - 1}) {
      INFO("byte " << at << " of " << z.size());
      Bytes bad = z;
      bad[at] ^= 0x01;
      refused(bad);
    }
  }
  SECTION("truncated anywhere") {
    for (std::size_t keep : {z.size() - 1, z.size() - 4, z.size() - 8, z.size() / 2,
                             std::size_t{12}, std::size_t{10}, std::size_t{3}, std::size_t{1}}) {
      INFO("keeping " << keep << " of " << z.size());
      refused(Bytes(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(keep)));
    }
  }
  SECTION("garbage after a member (zlib refuses it too)") {
    refused(concat({z, Bytes{0, 0, 0, 0}}));
    refused(concat({z, noise(100)}));
    refused(concat({z, Bytes{0x1f, 0x8b}}));
  }
}

TEST_CASE("gzip-isal refuses decompression bombs without allocating them") {
  IsalGzipCodec codec;
  const Bytes zeros(64 * kMiB, 0);
  const Bytes bomb = compress(codec, zeros, 1);
  REQUIRE(bomb.size() < kMiB);
  Bytes out;
  CHECK_THROWS_AS(codec.decompress(bomb, kMiB, out), CodecError);
  CHECK(out.empty());
  CHECK(out.capacity() <= 2 * kMiB);

  // The same through zlib's encoder, and as many members.
  GzipCodec zlib;
  Bytes out2;
  CHECK_THROWS_AS(codec.decompress(compress(zlib, zeros, 9), kMiB, out2), CodecError);
  CHECK(out2.capacity() <= 2 * kMiB);
  const Bytes piece = compress(codec, Bytes(512 * 1024, 0));
  Bytes out3;
  CHECK_THROWS_AS(codec.decompress(concat({piece, piece, piece}), kMiB, out3), CodecError);
  CHECK(out3.capacity() <= 2 * kMiB);
}

TEST_CASE("gzip-isal output depends only on the input and level") {
  // Scratch memory is reused per thread: a call must not see the last one.
  const Bytes small = log_lines(5000, 9);
  const Bytes big = log_lines(2 * kMiB, 8);
  Bytes fresh_small;
  Bytes fresh_big;
  std::thread([&] {
    IsalGzipCodec c;
    fresh_small = compress(c, small);
    fresh_big = compress(c, big, 2);
  }).join();
  IsalGzipCodec codec;
  CHECK(compress(codec, big, 9) != fresh_small);  // warms this thread's scratch
  CHECK(compress(codec, small) == fresh_small);
  CHECK(compress(codec, big, 2) == fresh_big);

  std::vector<Bytes> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      IsalGzipCodec c;
      for (int round = 0; round < 3; ++round) results[i] = compress(c, round % 2 ? big : small);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == fresh_small);
}
