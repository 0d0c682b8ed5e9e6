#include "commands.hpp"

#include <algorithm>

#include "encoding.hpp"

namespace brokkr::raft {

std::string encode_noop() {
  return std::string(1, static_cast<char>(EntryType::noop));
}

std::string encode_store_ops(const std::vector<sdk::StoreOp>& ops) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(EntryType::store_ops));
  w.u32(static_cast<std::uint32_t>(ops.size()));
  for (const auto& op : ops) {
    w.u8(static_cast<std::uint8_t>(op.type));
    w.i64(op.expected_version);
    w.str(op.key);
    w.str(op.data);
  }
  return w.take();
}

EntryType entry_type(std::string_view payload) {
  if (payload.empty()) throw DecodeError("empty log entry");
  auto type = static_cast<std::uint8_t>(payload[0]);
  if (type > static_cast<std::uint8_t>(EntryType::store_ops)) {
    throw DecodeError("unknown log entry type " + std::to_string(type));
  }
  return static_cast<EntryType>(type);
}

std::vector<sdk::StoreOp> decode_store_ops(std::string_view payload) {
  Reader r(payload);
  if (r.u8() != static_cast<std::uint8_t>(EntryType::store_ops)) {
    throw DecodeError("not a store_ops entry");
  }
  std::uint32_t count = r.u32();
  std::vector<sdk::StoreOp> ops;
  ops.reserve(std::min<std::uint32_t>(count, 4096));
  for (std::uint32_t i = 0; i < count; ++i) {
    sdk::StoreOp op;
    std::uint8_t type = r.u8();
    if (type > static_cast<std::uint8_t>(sdk::StoreOp::Type::check)) {
      throw DecodeError("unknown store op type " + std::to_string(type));
    }
    op.type = static_cast<sdk::StoreOp::Type>(type);
    op.expected_version = r.i64();
    op.key = r.str();
    op.data = r.str();
    ops.push_back(std::move(op));
  }
  if (!r.done()) throw DecodeError("trailing bytes after store ops");
  return ops;
}

}  // namespace brokkr::raft
