#include "os/unix_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <thread>

namespace fostat::os {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(SocketCall call, int error) {
    throw SocketError(call, std::error_code(error, std::generic_category()));
}

// Waits until `fd` is ready for `events`. Throws SocketError (poll, timed_out) when the
// deadline passes first.
void wait_for(int fd, short events, Deadline deadline) {
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            fail(SocketCall::poll, ETIMEDOUT);
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
        if (n > 0)
            return;  // ready, or an error or hang-up that the next call reports
        if (n < 0 && errno != EINTR)
            fail(SocketCall::poll, errno);
    }
}

}  // namespace

bool have_unix_sockets() {
    return true;
}

std::size_t unix_socket_path_max() {
    return sizeof(sockaddr_un::sun_path) - 1;
}

UnixSocket::UnixSocket(const std::string& path, Deadline deadline) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() > unix_socket_path_max())
        fail(SocketCall::connect, ENAMETOOLONG);
    std::memcpy(address.sun_path, path.data(), path.size());
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);

    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        fail(SocketCall::socket, errno);
    try {
        for (;;) {
            if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0)
                return;
            int error = errno;
            if (error == EISCONN)
                return;
            if (error == EAGAIN || error == EINTR) {
                // The server's backlog is full: a non-blocking unix connect does not wait for
                // room, so try again shortly.
                if (Clock::now() >= deadline)
                    fail(SocketCall::connect, EAGAIN);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                continue;
            }
            if (error == EINPROGRESS) {  // not seen on unix sockets, but harmless to honour
                wait_for(fd_, POLLOUT, deadline);
                socklen_t size = sizeof error;
                if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size) != 0)
                    error = errno;
                if (error == 0)
                    return;
            }
            fail(SocketCall::connect, error);
        }
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

UnixSocket::~UnixSocket() {
    ::close(fd_);
}

void UnixSocket::send_all(std::string_view data, Deadline deadline) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_for(fd_, POLLOUT, deadline);
            continue;
        }
        fail(SocketCall::send, errno);
    }
}

void UnixSocket::receive_all(std::string& out, Deadline deadline) {
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            out.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0)
            return;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_for(fd_, POLLIN, deadline);
            continue;
        }
        fail(SocketCall::recv, errno);
    }
}

}  // namespace fostat::os
