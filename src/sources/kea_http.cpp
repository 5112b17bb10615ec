// The kea source's channel through kea-ctrl-agent's HTTP(S) API (sources/kea_channel.h),
// with net/http.h's client.
#include <string>

#include "fostat/error.h"
#include "kea_transport.h"
#include "net/http.h"
#include "sources/kea_channel.h"

namespace fostat {
namespace {

HttpOptions http_options(const KeaHttpOptions& kea) {
    HttpOptions o;
    o.url = kea.url;
    o.auth_file = kea.auth_file;
    o.tls_ca = kea.tls_ca;
    o.tls_cert = kea.tls_cert;
    o.tls_key = kea.tls_key;
    o.timeout = kea.timeout;
    o.headers = {"Content-Type: application/json", "Accept: application/json"};
    o.refused_hint =
        "is Kea's HTTP API listening on this address and port: kea-dhcp4's http control "
        "socket, or kea-ctrl-agent before 3.1.8?";
    o.client_cert_hint = "Kea requires a client certificate: give --tls-cert and --tls-key";
    return o;
}

class HttpChannel : public KeaChannel {
  public:
    explicit HttpChannel(const KeaHttpOptions& options) : client_(http_options(options)) {}

    std::string where() const override { return client_.url(); }

    std::string command(const std::string& command, const std::string& arguments) override {
        HttpReply reply;
        try {
            reply = client_.post(request_text(command, arguments, true));
        } catch (const HttpFailure& e) {
            fail(command, e.what());
        }
        const std::string& auth_file = client_.options().auth_file;
        if (reply.status == 401) {
            if (auth_file.empty())
                fail(command,
                     "HTTP 401 Unauthorized: Kea wants a user and password: give --auth-file");
            fail(command, "HTTP 401 Unauthorized: check the user and password in " + auth_file);
        }
        if (reply.status != 200) {
            std::string what = "HTTP " + std::to_string(reply.status);
            if (!reply.reason.empty())
                what += " " + reply.reason;
            if (reply.status >= 300 && reply.status < 400)
                what += " (redirects are not followed: give the final URL)";
            else if (!reply.body.empty())
                what += ": " + one_line(reply.body);
            fail(command, what);
        }
        if (reply.body.empty())
            fail(command, "HTTP 200 with an empty body");
        return std::move(reply.body);
    }

  private:
    [[noreturn]] void fail(const std::string& command, const std::string& what) const {
        throw SourceError(where() + ": " + command + ": " + what);
    }

    HttpClient client_;
};

}  // namespace

std::unique_ptr<KeaChannel> open_kea_http(const KeaHttpOptions& options) {
    return std::make_unique<HttpChannel>(options);
}

}  // namespace fostat
