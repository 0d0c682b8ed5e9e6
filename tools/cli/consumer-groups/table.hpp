// Java's "%-Ns": left-aligned, padded with spaces to at least `width`.
#pragma once

#include <cstddef>
#include <string>

namespace brokkr::cli::groups {

inline std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace brokkr::cli::groups
