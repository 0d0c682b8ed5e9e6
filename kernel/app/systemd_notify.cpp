#include "app/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace brokkr::app {

bool systemd_notify(std::string_view state) noexcept {
  const char* socket_name = std::getenv("NOTIFY_SOCKET");
  if (socket_name == nullptr || socket_name[0] == '\0') return false;
  std::string_view name(socket_name);
  // Only unix sockets: an absolute path, or '@' for the abstract namespace
  // (systemd's other form, "vsock:CID:PORT", is for virtual machines).
  if (name.front() != '/' && name.front() != '@') return false;

  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (name.size() >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, name.data(), name.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  if (name.front() == '@') {
    address.sun_path[0] = '\0';  // abstract: the name is the bytes after the NUL, unterminated
  } else {
    length += 1;  // a path includes its terminating NUL
  }

  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ssize_t sent;
  do {
    sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&address), length);
  } while (sent < 0 && errno == EINTR);
  ::close(fd);
  return sent >= 0 && static_cast<std::size_t>(sent) == state.size();
}

}  // namespace brokkr::app
