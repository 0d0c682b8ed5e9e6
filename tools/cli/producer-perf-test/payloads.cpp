#include "producer-perf-test/payloads.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace brokkr::cli {

std::vector<std::string> read_payload_file(const std::string& path, const std::string& delimiter) {
  std::cout << "Reading payloads from: " << std::filesystem::absolute(path).string() << "\n";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0 || ec) {
    throw std::runtime_error("File does not exist or empty file provided.");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto at = delimiter.empty() ? std::string::npos : text.find(delimiter, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + delimiter.size();
  }
  while (out.size() > 1 && out.back().empty()) out.pop_back();
  std::cout << "Number of messages read: " << out.size() << std::endl;
  return out;
}

PayloadGenerator::PayloadGenerator(std::int32_t record_size, std::vector<std::string> payloads, bool monotonic)
    : record_size_(record_size), payloads_(std::move(payloads)), monotonic_(monotonic) {
  buffer_.resize(static_cast<std::size_t>(std::max(record_size_, 0)));
}

std::uint64_t PayloadGenerator::random() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

const std::string& PayloadGenerator::next(std::int64_t index) {
  if (!payloads_.empty()) return payloads_[random() % payloads_.size()];
  if (monotonic_) {
    buffer_ = std::to_string(index);
    return buffer_;
  }
  // 'A' + a random number below 26, eight letters per 64 random bits.
  auto* out = buffer_.data();
  std::size_t i = 0;
  while (i < buffer_.size()) {
    std::uint64_t bits = random();
    for (int b = 0; b < 8 && i < buffer_.size(); ++b, ++i, bits >>= 8) {
      out[i] = static_cast<char>('A' + ((bits & 0xff) * 26 >> 8));
    }
  }
  return buffer_;
}

}  // namespace brokkr::cli
