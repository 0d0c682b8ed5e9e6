#pragma once

#include <string_view>

namespace brokkr::app {

// Tells the service manager about the broker's state, as sd_notify(3) does,
// without linking libsystemd: sends `state` (e.g. "READY=1", "STOPPING=1")
// as one datagram to the unix socket named in $NOTIFY_SOCKET — a path, or
// '@' followed by a name in the abstract namespace. A no-op returning false
// when NOTIFY_SOCKET is unset or empty (not started by systemd with
// Type=notify); false too when the datagram could not be sent. Never throws.
bool systemd_notify(std::string_view state) noexcept;

}  // namespace brokkr::app
