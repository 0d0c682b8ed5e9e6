// The compression codecs this broker has loaded, by Kafka's codec id (the
// compression bits of a batch's attributes).
#pragma once

#include <array>
#include <string>

#include "brokkr/sdk/codec.hpp"

namespace brokkr::partition {

class CodecSet {
 public:
  void add(sdk::Codec& codec) { codecs_[index(codec.type())] = &codec; }
  // nullptr when no plugin for `type` is loaded.
  sdk::Codec* find(sdk::CompressionType type) const {
    auto i = index(type);
    return i < codecs_.size() ? codecs_[i] : nullptr;
  }

 private:
  static std::size_t index(sdk::CompressionType type) { return static_cast<std::size_t>(type); }
  std::array<sdk::Codec*, 5> codecs_{};
};

// Kafka's name of a codec id ("gzip", "snappy", "lz4", "zstd").
inline const char* codec_name(sdk::CompressionType type) {
  switch (type) {
    case sdk::CompressionType::none: return "none";
    case sdk::CompressionType::gzip: return "gzip";
    case sdk::CompressionType::snappy: return "snappy";
    case sdk::CompressionType::lz4: return "lz4";
    case sdk::CompressionType::zstd: return "zstd";
  }
  return "unknown";
}

}  // namespace brokkr::partition
