// app::systemd_notify: the sd_notify datagram the broker sends under a
// Type=notify systemd unit, received here on a unix datagram socket bound
// where $NOTIFY_SOCKET points (a path, or '@' for the abstract namespace).
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "app/systemd_notify.hpp"

namespace {

using brokkr::app::systemd_notify;

// A bound unix datagram socket standing in for systemd's notify socket.
class NotifyListener {
 public:
  // `name`: a path, or '@' + an abstract name.
  explicit NotifyListener(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(name.size() < sizeof(address.sun_path));
    std::memcpy(address.sun_path, name.data(), name.size());
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (name[0] == '@') {
      address.sun_path[0] = '\0';
    } else {
      length += 1;
    }
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    timeval timeout{2, 0};  // a missing datagram fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifyListener() { ::close(fd_); }
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  std::optional<std::string> receive() {
    char buffer[4096];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
};

// Sets NOTIFY_SOCKET for one test and restores what was there.
class NotifySocketEnv {
 public:
  explicit NotifySocketEnv(const char* value) {
    if (const char* old = ::getenv("NOTIFY_SOCKET")) old_ = old;
    if (value) {
      ::setenv("NOTIFY_SOCKET", value, 1);
    } else {
      ::unsetenv("NOTIFY_SOCKET");
    }
  }
  ~NotifySocketEnv() {
    if (old_) {
      ::setenv("NOTIFY_SOCKET", old_->c_str(), 1);
    } else {
      ::unsetenv("NOTIFY_SOCKET");
    }
  }

 private:
  std::optional<std::string> old_;
};

std::filesystem::path scratch_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "brokkr-notify-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

}  // namespace

TEST_CASE("systemd_notify sends READY=1 and STOPPING=1 to a socket path", "[systemd_notify]") {
  auto dir = scratch_dir();
  std::string path = (dir / "notify").string();
  {
    NotifyListener listener(path);
    NotifySocketEnv env(path.c_str());
    REQUIRE(systemd_notify("READY=1"));
    CHECK(listener.receive() == std::optional<std::string>("READY=1"));
    REQUIRE(systemd_notify("STOPPING=1"));
    CHECK(listener.receive() == std::optional<std::string>("STOPPING=1"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("systemd_notify handles an abstract-namespace socket ('@')", "[systemd_notify]") {
  std::string name = "@brokkr-notify-test-" + std::to_string(::getpid());
  NotifyListener listener(name);
  NotifySocketEnv env(name.c_str());
  REQUIRE(systemd_notify("READY=1"));
  CHECK(listener.receive() == std::optional<std::string>("READY=1"));
}

TEST_CASE("systemd_notify is a no-op without NOTIFY_SOCKET", "[systemd_notify]") {
  {
    NotifySocketEnv env(nullptr);
    CHECK_FALSE(systemd_notify("READY=1"));
  }
  {
    NotifySocketEnv env("");
    CHECK_FALSE(systemd_notify("READY=1"));
  }
}

TEST_CASE("systemd_notify reports a socket nobody listens on, or a name it cannot use",
          "[systemd_notify]") {
  auto dir = scratch_dir();
  std::string missing = (dir / "nobody-here").string();
  {
    NotifySocketEnv env(missing.c_str());
    CHECK_FALSE(systemd_notify("READY=1"));
  }
  {
    NotifySocketEnv env("relative/path");
    CHECK_FALSE(systemd_notify("READY=1"));
  }
  {
    std::string too_long = "/" + std::string(200, 'x');
    NotifySocketEnv env(too_long.c_str());
    CHECK_FALSE(systemd_notify("READY=1"));
  }
  std::filesystem::remove_all(dir);
}
