// Per-thread ISA-L working memory. The stream structs are about 85 KB each
// and a level buffer up to 340 KB: allocating them per batch would cost more
// than compressing a small batch, so each thread allocates them once and
// reuses them (every call re-initialises what it uses).
#pragma once

#include <isa-l/igzip_lib.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace brokkr::codecs {

class IsalScratch {
 public:
  // The calling thread's scratch, created on first use.
  static IsalScratch& local();

  isal_zstream& deflate_stream() { return *deflate_; }
  inflate_state& inflate_stream() { return *inflate_; }
  // Buffers of at least `bytes`, grown (never shrunk) as needed; contents
  // are left as they were.
  std::uint8_t* level_buffer(std::size_t bytes) { return level_.get(bytes); }
  std::uint8_t* output_chunk(std::size_t bytes) { return chunk_.get(bytes); }

 private:
  struct Buffer {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t size = 0;
    std::uint8_t* get(std::size_t bytes);
  };
  std::unique_ptr<isal_zstream> deflate_ = std::make_unique<isal_zstream>();
  std::unique_ptr<inflate_state> inflate_ = std::make_unique<inflate_state>();
  Buffer level_;
  Buffer chunk_;
};

}  // namespace brokkr::codecs
