// How the kea source talks to a Kea DHCPv4 server: one command, one reply, over the server's
// unix control socket or through kea-ctrl-agent's HTTP(S) API. Behind an interface so that
// tests answer with captured replies (tests/data/kea-lab) and can be told to fail.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace fostat {

class KeaChannel {
  public:
    virtual ~KeaChannel() = default;
    // Sends `command` with `arguments` (the text of a JSON object, or empty for none) to the
    // DHCPv4 server and returns the reply's text exactly as received: a JSON object from the
    // socket, a JSON list holding one object from kea-ctrl-agent. Does not judge the reply's
    // `result`. Throws SourceError "<where()>: <command>: <what went wrong>" when the server
    // cannot be reached, does not answer within the timeout, or answers at the transport
    // level with an error (HTTP status other than 200, a cut-off reply).
    virtual std::string command(const std::string& command, const std::string& arguments) = 0;
    // How messages name the server: "unix socket /run/kea/kea4-ctrl-socket",
    // "http://198.18.1.2:8000/".
    virtual std::string where() const = 0;
};

struct KeaHttpOptions {
    std::string url;
    std::string auth_file;  // "user:password" on one line; empty: no authentication
    std::string tls_ca;     // CA certificate file for an https URL; empty: the system's
    std::chrono::milliseconds timeout{10'000};  // per request, connecting included
};

// REQUIRES: timeout > 0. Connecting happens at the first command.
std::unique_ptr<KeaChannel> open_kea_socket(const std::string& path,
                                            std::chrono::milliseconds timeout);
// Reads the auth file at once: throws InputError naming it when it cannot be read or has no
// ':'. Connecting happens at the first command.
std::unique_ptr<KeaChannel> open_kea_http(const KeaHttpOptions& options);

}  // namespace fostat
