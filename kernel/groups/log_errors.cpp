#include "groups/log_errors.hpp"

namespace brokkr::groups {

using protocol::ErrorCode;

namespace {

// What both kinds of writes map the same way.
ErrorCode common(ErrorCode e) {
  switch (e) {
    case ErrorCode::unknown_topic_or_partition:
    case ErrorCode::not_enough_replicas:
    case ErrorCode::not_enough_replicas_after_append:
      return ErrorCode::coordinator_not_available;
    case ErrorCode::not_leader_or_follower:
    case ErrorCode::kafka_storage_error:
      return ErrorCode::not_coordinator;
    default:
      return e;
  }
}

bool too_large(ErrorCode e) {
  return e == ErrorCode::message_too_large || e == ErrorCode::record_list_too_large ||
         e == ErrorCode::invalid_fetch_size;
}

}  // namespace

ErrorCode group_write_error(ErrorCode e) {
  if (too_large(e)) return ErrorCode::unknown_server_error;
  if (e == ErrorCode::request_timed_out) return ErrorCode::rebalance_in_progress;
  return common(e);
}

ErrorCode offset_write_error(ErrorCode e) {
  if (too_large(e)) return ErrorCode::invalid_commit_offset_size;
  if (e == ErrorCode::network_exception) return ErrorCode::coordinator_load_in_progress;
  return common(e);
}

}  // namespace brokkr::groups
