// How the kea source talks to a Kea DHCPv4 server: one command, one reply, over the server's
// unix control socket or through kea-ctrl-agent's HTTP(S) API. Behind an interface so that
// tests answer with captured replies (tests/data/kea-lab) and can be told to fail.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace fostat {

// One channel is used by one thread at a time.
class KeaChannel {
  public:
    virtual ~KeaChannel() = default;
    // Sends `command` with `arguments` (the text of a JSON object, or empty for none) to the
    // DHCPv4 server and returns the reply's text exactly as received: a JSON object from the
    // socket, a JSON list holding one object from kea-ctrl-agent. Does not judge the reply's
    // `result`. Throws SourceError "<where()>: <command>: <what went wrong>" when the server
    // cannot be reached, does not answer within the timeout, or answers at the transport
    // level with an error (HTTP status other than 200, a cut-off or empty reply). The whole
    // command, connecting included, takes at most the timeout (give or take a few ms).
    // REQUIRES: `arguments` is empty or a JSON object; it is sent as it is.
    virtual std::string command(const std::string& command, const std::string& arguments) = 0;
    // How messages name the server: "unix socket /run/kea/kea4-ctrl-socket",
    // "http://198.18.1.2:8000/".
    virtual std::string where() const = 0;
};

struct KeaHttpOptions {
    std::string url;        // http:// or https://, without a user or password in it
    std::string auth_file;  // "user:password" on its first line; empty: no authentication
    std::string tls_ca;     // CA certificate file for an https URL, trusted instead of the
                            // system's CAs; empty: the system's CAs
    // A client certificate and its key (PEM) for an agent whose TLS setup has
    // `cert-required` (Kea's default when TLS is on); empty: none.
    std::string tls_cert;
    std::string tls_key;
    std::chrono::milliseconds timeout{10'000};  // per request, connecting included
};

// REQUIRES: timeout > 0. Connecting happens at the first command, one connection per command
// (Kea closes the socket after each reply). On Windows, which has neither unix sockets nor
// Kea, throws InputError pointing to kea-ctrl-agent over HTTP (open_kea_http) instead.
std::unique_ptr<KeaChannel> open_kea_socket(const std::string& path,
                                            std::chrono::milliseconds timeout);
// Checks the options at once and throws InputError naming the culprit when the URL is not an
// http or https URL or carries credentials, or when the auth file (it is read now), the CA,
// certificate or key file cannot be read, or the auth file has no ':' on its first line.
// Never puts the credentials into a message. Connecting happens at the first command; the
// connection is kept for the next commands while the agent keeps it open.
// REQUIRES: options.timeout > 0.
std::unique_ptr<KeaChannel> open_kea_http(const KeaHttpOptions& options);

}  // namespace fostat
