// Shared helpers of the protocol unit tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// The repo root, as for the other unit tests: -DBROKKR_SOURCE_DIR="${PROJECT_SOURCE_DIR}".
#if !defined(BROKKR_SOURCE_DIR) && defined(BROKKR_REPO_ROOT)
#define BROKKR_SOURCE_DIR BROKKR_REPO_ROOT
#endif
#ifndef BROKKR_SOURCE_DIR
#error "compile the protocol tests with -DBROKKR_SOURCE_DIR=\"<repo root>\""
#endif

namespace brokkr::protocol::testing {

// $BROKKR_SHARED_DIR, else <repo>/../shared.
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("BROKKR_SHARED_DIR"); env != nullptr && *env != '\0') {
    return std::filesystem::path(env);
  }
  return std::filesystem::path(BROKKR_SOURCE_DIR) / ".." / "shared";
}

inline std::filesystem::path fixtures_dir() {
  return std::filesystem::path(BROKKR_SOURCE_DIR) / "tests" / "unit" / "protocol" / "fixtures";
}

inline std::string read_text_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses hex digits, ignoring whitespace and '#' comment lines.
inline std::vector<uint8_t> parse_hex(const std::string& text) {
  std::vector<uint8_t> out;
  int hi = -1;
  bool comment = false;
  for (char c : text) {
    if (comment) {
      if (c == '\n') comment = false;
      continue;
    }
    if (c == '#') {
      comment = true;
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

inline std::string to_hex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

}  // namespace brokkr::protocol::testing
