// What the log's entries carry. Every payload starts with an EntryType byte;
// the rest depends on the type. New types (membership changes for
// multi-voter Raft) get new numbers; old ones never change meaning.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "brokkr/sdk/coordination.hpp"

namespace brokkr::raft {

enum class EntryType : std::uint8_t {
  noop = 0,        // a new leader's first entry in its term
  store_ops = 1,   // a batch of StoreOps for the state machine
};

std::string encode_noop();
std::string encode_store_ops(const std::vector<sdk::StoreOp>& ops);
// Throws DecodeError on anything malformed.
EntryType entry_type(std::string_view payload);
std::vector<sdk::StoreOp> decode_store_ops(std::string_view payload);

}  // namespace brokkr::raft
