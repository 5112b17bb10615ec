// HTTP(S) requests with libcurl, for the kea source (kea-ctrl-agent) and --remote-write: the
// one place for TLS, authentication, timeouts and the words of a failed transfer.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fostat/error.h"

namespace fostat {

// "10 s", "200 ms": how messages give a timeout.
std::string duration_text(std::chrono::milliseconds d);

// Text from a server or a library made fit for a one-line message: control bytes become
// spaces, runs of spaces one, and it is cut at `max` bytes.
std::string one_line(std::string_view text, std::size_t max = 200);

struct HttpOptions {
    std::string url;          // http:// or https://, without a user or password in it
    std::string auth_file;    // "user:password" on its first line: basic authentication
    std::string bearer_file;  // a token on its first line: "Authorization: Bearer <token>"
    std::string tls_ca;       // CA file trusted instead of the system's CAs; empty: the system's
    std::string tls_cert;     // a client certificate and its key (PEM); empty: none
    std::string tls_key;
    std::chrono::milliseconds timeout{10'000};  // per request, connecting included
    std::vector<std::string> headers;           // "Name: value", sent with every request
    // The caller's words after "connection refused" and after "the server requires a client
    // certificate", saying what to check or give.
    std::string refused_hint;
    std::string client_cert_hint;
};

struct HttpReply {
    long status = 0;
    std::string reason;  // the status line's reason phrase, or the usual one for the status
    std::string body;
};

// No reply came: the connection, TLS or the timeout failed. The message is the reason
// alone; the caller names the URL and what it asked.
class HttpFailure : public SourceError {
  public:
    using SourceError::SourceError;
};

// A connection to one URL, reused from request to request where the server keeps it open.
class HttpClient {
  public:
    // Checks the URL (InputError: not http(s), or a user or password in it) and reads the
    // files of the options (InputError: unreadable, readable by every user of the machine,
    // or not of the form expected).
    explicit HttpClient(HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    const std::string& url() const;
    const HttpOptions& options() const;

    // POSTs `body` and returns the reply, whatever its status. Throws HttpFailure when no
    // complete reply came; redirects are not followed.
    HttpReply post(std::string_view body);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace fostat
