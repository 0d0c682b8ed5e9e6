#include "encoding.hpp"

#include <algorithm>

#include <zlib.h>

namespace brokkr::raft {

std::uint32_t crc32_of(std::string_view data, std::uint32_t previous) {
  uLong crc = previous;
  const auto* bytes = reinterpret_cast<const Bytef*>(data.data());
  std::size_t left = data.size();
  while (left > 0) {  // zlib takes a uInt length
    uInt chunk = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
    crc = ::crc32(crc, bytes, chunk);
    bytes += chunk;
    left -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace brokkr::raft
