#include "os/unix_socket.h"

// Not on Windows: Kea runs only on Unix, and from Windows kea-ctrl-agent's HTTP API reaches
// it. have_unix_sockets() says so, and the rest is never called.
namespace fostat::os {
namespace {

[[noreturn]] void unsupported() {
    throw SocketError(SocketCall::socket,
                      std::make_error_code(std::errc::address_family_not_supported));
}

}  // namespace

bool have_unix_sockets() {
    return false;
}

std::size_t unix_socket_path_max() {
    return 107;  // as afunix.h's UNIX_PATH_MAX (108) less the terminating zero
}

UnixSocket::UnixSocket(const std::string&, Deadline) {
    unsupported();
}

UnixSocket::~UnixSocket() {
    (void)fd_;  // never open: the constructor always throws
}

void UnixSocket::send_all(std::string_view, Deadline) {
    unsupported();
}

void UnixSocket::receive_all(std::string&, Deadline) {
    unsupported();
}

}  // namespace fostat::os
