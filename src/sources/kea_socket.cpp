// The kea source's channel through Kea's unix control socket (sources/kea_channel.h), over the
// os layer's socket. Not on Windows: Kea runs only on Unix, and from Windows kea-ctrl-agent's
// HTTP API reaches it.
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "fostat/error.h"
#include "kea_transport.h"
#include "os/unix_socket.h"
#include "sources/kea_channel.h"

namespace fostat {
namespace {

using Clock = std::chrono::steady_clock;

class SocketChannel : public KeaChannel {
  public:
    SocketChannel(std::string path, std::chrono::milliseconds timeout)
        : path_(std::move(path)), timeout_(timeout) {}

    std::string command(const std::string& command, const std::string& arguments) override {
        const Clock::time_point deadline = Clock::now() + timeout_;
        if (path_.empty())
            fail(command, "no such socket");
        if (path_.size() > os::unix_socket_path_max())
            fail(command, "the path is too long for a unix socket (" +
                              std::to_string(path_.size()) + " bytes, at most " +
                              std::to_string(os::unix_socket_path_max()) + ")");
        // Kea writes its reply in 32 KiB pieces and then closes: read to the end of the stream.
        std::string reply;
        try {
            os::UnixSocket socket(path_, deadline);
            socket.send_all(request_text(command, arguments, false), deadline);
            socket.receive_all(reply, deadline);
        } catch (const os::SocketError& e) {
            fail(command, what_failed(e, reply.size()));
        }
        if (reply.empty())
            fail(command, "the server closed the connection without a reply");
        return reply;
    }

    std::string where() const override { return "unix socket " + path_; }

  private:
    [[noreturn]] void fail(const std::string& command, const std::string& what) const {
        throw SourceError(where() + ": " + command + ": " + what);
    }

    std::string timed_out(std::size_t received) const {
        if (received == 0)
            return "no reply within " + duration_text(timeout_);
        return "no complete reply within " + duration_text(timeout_) + " (" +
               std::to_string(received) + " bytes received)";
    }

    // What a message says of `e`, after `received` bytes of the reply.
    std::string what_failed(const os::SocketError& e, std::size_t received) const {
        const std::error_code code = e.code();
        const std::string reason = std::strerror(code.value());
        const std::string closed = "the server closed the connection without a reply";
        switch (e.call()) {
            case os::SocketCall::socket:
                return "socket: " + reason;
            case os::SocketCall::poll:
                if (code == std::errc::timed_out)
                    return timed_out(received);
                return "poll: " + reason;
            case os::SocketCall::connect:
                if (code == std::errc::resource_unavailable_try_again)
                    return "the server did not accept the connection within " +
                           duration_text(timeout_);
                if (code == std::errc::no_such_file_or_directory ||
                    code == std::errc::not_a_directory)
                    return "no such socket";
                if (code == std::errc::connection_refused)
                    return "connection refused (is kea-dhcp4 running, and is this its control "
                           "socket?)";
                if (code == std::errc::permission_denied ||
                    code == std::errc::operation_not_permitted)
                    return "permission denied";
                return "cannot connect: " + reason;
            case os::SocketCall::send:
                if (code == std::errc::broken_pipe || code == std::errc::connection_reset)
                    return closed;
                return "cannot send the command: " + reason;
            case os::SocketCall::recv:
                if (code == std::errc::connection_reset && received == 0)
                    return closed;
                return "cannot read the reply: " + reason + " (" + std::to_string(received) +
                       " bytes received)";
        }
        return reason;
    }

    std::string path_;
    std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<KeaChannel> open_kea_socket(const std::string& path,
                                            std::chrono::milliseconds timeout) {
    if (!os::have_unix_sockets())
        throw InputError("unix socket " + path +
                         ": Windows has no unix control sockets (and no Kea): ask kea-ctrl-agent "
                         "over HTTP instead");
    return std::make_unique<SocketChannel>(path, timeout);
}

}  // namespace fostat
