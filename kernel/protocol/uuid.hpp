// Brokkr Kafka protocol: Kafka's 128-bit UUID (topic ids, directory ids, ...).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brokkr::protocol {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  bool operator==(const Uuid&) const = default;

  // True for Kafka's ZERO_UUID (all bytes zero), which means "no id".
  bool is_zero() const noexcept {
    for (uint8_t b : bytes) {
      if (b != 0) return false;
    }
    return true;
  }

  // Kafka's textual form: URL-safe base64 without padding (22 characters).
  std::string to_base64() const;

  // Parses the form produced by to_base64(); nullopt if malformed.
  static std::optional<Uuid> from_base64(std::string_view text);

  // A random version-4 UUID, never zero and never one whose base64 form
  // starts with '-' (Kafka avoids those because they look like CLI flags).
  static Uuid random();
};

}  // namespace brokkr::protocol
