// The error a client gets when a GroupLog write fails (Kafka's mapping of
// append errors for group metadata and for offset commits).
#pragma once

#include "protocol/error_code.hpp"

namespace brokkr::groups {

protocol::ErrorCode group_write_error(protocol::ErrorCode log_error);
protocol::ErrorCode offset_write_error(protocol::ErrorCode log_error);

}  // namespace brokkr::groups
