// Brokkr Kafka protocol: a tagged field the schema does not know (KIP-482).
#pragma once

#include <cstdint>
#include <vector>

namespace brokkr::protocol {

// Kept verbatim on decode and written back on encode so that
// decode -> encode is byte-exact even for fields added by newer clients.
struct TaggedField {
  uint32_t tag = 0;
  std::vector<uint8_t> data;

  bool operator==(const TaggedField&) const = default;
};

}  // namespace brokkr::protocol
