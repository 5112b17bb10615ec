// The client side of a unix stream socket, each step bounded by a deadline (docs/design.md
// § Layers: os). Windows builds have none: have_unix_sockets() says so.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace fostat::os {

using Deadline = std::chrono::steady_clock::time_point;

enum class SocketCall { socket, connect, poll, send, recv };

// A system call on a socket failed: call() names it, code() says why (an errno value, in
// std::generic_category). Two codes mean that the deadline passed: std::errc::timed_out from
// poll (nothing came, or no room to send, while waiting), and
// std::errc::resource_unavailable_try_again from connect (the server's backlog stayed full).
class SocketError : public std::system_error {
  public:
    SocketError(SocketCall call, std::error_code code) : std::system_error(code), call_(call) {}
    SocketCall call() const { return call_; }

  private:
    SocketCall call_;
};

// False on Windows, where this build has no unix sockets.
bool have_unix_sockets();

// The longest path a unix socket can have, in bytes.
std::size_t unix_socket_path_max();

// A connected socket, closed when destroyed; not inherited by child processes, and a peer that
// has gone away gives an error, never SIGPIPE.
class UnixSocket {
  public:
    // Connects to the socket at `path` before `deadline`. Throws SocketError.
    // REQUIRES: have_unix_sockets(); `path` is not empty and has at most
    // unix_socket_path_max() bytes.
    UnixSocket(const std::string& path, Deadline deadline);
    ~UnixSocket();
    UnixSocket(const UnixSocket&) = delete;
    UnixSocket& operator=(const UnixSocket&) = delete;

    // Sends all of `data` before `deadline`. Throws SocketError.
    void send_all(std::string_view data, Deadline deadline);
    // Appends what the peer sends to `out` until it closes the connection, before `deadline`.
    // Throws SocketError; `out` then holds what arrived before.
    void receive_all(std::string& out, Deadline deadline);

  private:
    int fd_ = -1;
};

}  // namespace fostat::os
