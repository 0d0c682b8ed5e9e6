#include "isal_scratch.hpp"

namespace brokkr::codecs {

IsalScratch& IsalScratch::local() {
  thread_local IsalScratch scratch;
  return scratch;
}

std::uint8_t* IsalScratch::Buffer::get(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  if (bytes > size) {
    data.reset(new std::uint8_t[bytes]);  // uninitialised: the user sets it up
    size = bytes;
  }
  return data.get();
}

}  // namespace brokkr::codecs
