// The kea source's channel through kea-ctrl-agent's HTTP(S) API, with libcurl
// (sources/kea_channel.h).
#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "fostat/error.h"
#include "kea_transport.h"
#include "os/files.h"
#include "sources/kea_channel.h"

namespace fostat {
namespace {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlUrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlFreeDeleter {
    void operator()(char* text) const { curl_free(text); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlText = std::unique_ptr<char, CurlFreeDeleter>;

// curl_global_init is not safe to race with itself or other threads' curl calls: once per
// process, before the first handle. Never cleaned up: another thread may still use curl while
// static objects are destroyed at exit.
CURLcode curl_ready() {
    static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    return code;
}

// The first `max` bytes of the file at `path` (fewer if it is shorter). Throws InputError
// "<what> <path>: cannot read: <reason>".
std::string read_head(const std::string& what, const std::string& path, std::size_t max) {
    struct Closer {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    const std::unique_ptr<std::FILE, Closer> file(os::open_for_reading(path));
    if (!file)
        throw InputError(what + " " + path + ": cannot read: " + std::strerror(errno));
    std::string text;
    char buffer[4096];
    while (text.size() < max) {
        const std::size_t n =
            std::fread(buffer, 1, std::min(sizeof buffer, max - text.size()), file.get());
        text.append(buffer, n);
        if (n > 0)
            continue;
        if (!std::ferror(file.get()))
            break;
        if (errno != EINTR)
            throw InputError(what + " " + path + ": cannot read: " + std::strerror(errno));
        std::clearerr(file.get());
    }
    return text;
}

struct Credentials {
    std::string user;
    std::string password;
};

// The auth file's first line is "user:password"; the user is what precedes the first ':'
// (basic authentication allows no ':' in a user name), the password may hold any.
Credentials read_credentials(const std::string& path) {
    // A password every user of the machine can read is no secret: refuse rather than use it.
    if (os::readable_by_everyone(path)) {
        throw InputError("auth file " + path +
                         ": every user of this machine can read it; make it readable by the "
                         "collector's user only (chmod 600 " +
                         path + ")");
    }
    constexpr std::size_t kMax = 64 * 1024;
    std::string text = read_head("auth file", path, kMax);
    const std::size_t end = text.find('\n');
    if (end == std::string::npos && text.size() == kMax)
        throw InputError("auth file " + path + ": the first line is longer than 64 KiB");
    std::string line = text.substr(0, end);
    if (end != std::string::npos && !line.empty() && line.back() == '\r')
        line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos)
        throw InputError("auth file " + path +
                         ": the first line is not user:password (no ':' found)");
    return {line.substr(0, colon), line.substr(colon + 1)};
}

// The reason phrases of the statuses an agent or a proxy in front of it may give, for the
// HTTP versions whose status line has none.
std::string reason_of(long status) {
    static constexpr std::pair<long, const char*> kReasons[] = {
        {301, "Moved Permanently"},  {302, "Found"},
        {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
        {400, "Bad Request"},        {401, "Unauthorized"},
        {403, "Forbidden"},          {404, "Not Found"},
        {405, "Method Not Allowed"}, {408, "Request Timeout"},
        {413, "Content Too Large"},  {500, "Internal Server Error"},
        {502, "Bad Gateway"},        {503, "Service Unavailable"},
        {504, "Gateway Timeout"}};
    for (const auto& [code, reason] : kReasons)
        if (code == status)
            return reason;
    return "";
}

class HttpChannel : public KeaChannel {
  public:
    explicit HttpChannel(const KeaHttpOptions& options) : url_(options.url), options_(options) {
        check_url();
        if (!options.auth_file.empty())
            credentials_ = read_credentials(options.auth_file);
        if (!options.tls_ca.empty())
            read_head("CA file", options.tls_ca, 1);
        if (!options.tls_cert.empty())
            read_head("certificate file", options.tls_cert, 1);
        if (!options.tls_key.empty())
            read_head("key file", options.tls_key, 1);
    }

    std::string where() const override { return url_; }

    std::string command(const std::string& command, const std::string& arguments) override {
        if (!handle_)
            set_up(command);
        const std::string request = request_text(command, arguments, true);
        std::string body;
        status_line_.clear();
        error_[0] = '\0';
        curl_easy_setopt(handle_.get(), CURLOPT_POSTFIELDS, request.c_str());
        curl_easy_setopt(handle_.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.size()));
        curl_easy_setopt(handle_.get(), CURLOPT_WRITEDATA, &body);
        const CURLcode code = curl_easy_perform(handle_.get());
        // The request text dies here: curl must not hold a pointer to it.
        curl_easy_setopt(handle_.get(), CURLOPT_POSTFIELDS, nullptr);
        curl_easy_setopt(handle_.get(), CURLOPT_WRITEDATA, nullptr);
        if (code != CURLE_OK)
            fail(command, transfer_error(code, body.size()));

        long status = 0;
        curl_easy_getinfo(handle_.get(), CURLINFO_RESPONSE_CODE, &status);
        if (status == 401) {
            if (options_.auth_file.empty())
                fail(command,
                     "HTTP 401 Unauthorized: Kea wants a user and password: give --auth-file");
            fail(command,
                 "HTTP 401 Unauthorized: check the user and password in " + options_.auth_file);
        }
        if (status != 200) {
            std::string what = "HTTP " + std::to_string(status);
            const std::string reason = reason_phrase(status);
            if (!reason.empty())
                what += " " + reason;
            if (status >= 300 && status < 400)
                what += " (redirects are not followed: give the final URL)";
            else if (!body.empty())
                what += ": " + one_line(body);
            fail(command, what);
        }
        if (body.empty())
            fail(command, "HTTP 200 with an empty body");
        return body;
    }

  private:
    [[noreturn]] void fail(const std::string& command, const std::string& what) const {
        throw SourceError(where() + ": " + command + ": " + what);
    }

    void check_url() {
        if (curl_ready() != CURLE_OK)
            throw SourceError(url_ + ": libcurl: " + curl_easy_strerror(curl_ready()));
        const CurlUrl url(curl_url());
        if (!url)
            throw SourceError(url_ + ": libcurl: out of memory");
        if (curl_url_set(url.get(), CURLUPART_URL, url_.c_str(), 0) != CURLUE_OK)
            // Quoting it could show a password, should there be one before an '@'.
            throw InputError(url_.find('@') == std::string::npos
                                 ? "URL " + excerpt(url_) + ": not a valid URL"
                                 : "URL: not a valid URL");
        char* part = nullptr;
        curl_url_get(url.get(), CURLUPART_SCHEME, &part, 0);
        const CurlText scheme(part);
        part = nullptr;
        const std::string s = scheme ? scheme.get() : "";
        if (s != "http" && s != "https")
            throw InputError("URL " + excerpt(url_) + ": not an http:// or https:// URL");
        const bool has_user = curl_url_get(url.get(), CURLUPART_USER, &part, 0) == CURLUE_OK;
        const CurlText user(part);
        part = nullptr;
        const bool has_password =
            curl_url_get(url.get(), CURLUPART_PASSWORD, &part, 0) == CURLUE_OK;
        const CurlText password(part);
        if (has_user || has_password) {
            // Name the URL without what might be a password.
            curl_url_set(url.get(), CURLUPART_USER, nullptr, 0);
            curl_url_set(url.get(), CURLUPART_PASSWORD, nullptr, 0);
            part = nullptr;
            curl_url_get(url.get(), CURLUPART_URL, &part, 0);
            const CurlText bare(part);
            throw InputError("URL " + std::string(bare ? bare.get() : "") +
                             ": a user or password in the URL is refused: put them in an "
                             "auth file");
        }
    }

    void set_up(const std::string& command) {
        handle_.reset(curl_easy_init());
        if (!handle_)
            fail(command, "libcurl cannot make a handle");
        CURL* h = handle_.get();
        for (const char* header : {"Content-Type: application/json", "Accept: application/json",
                                   // curl would wait for a "100 Continue" Kea never sends.
                                   "Expect:"}) {
            curl_slist* grown = curl_slist_append(headers_.get(), header);
            if (grown == nullptr)
                fail(command, "libcurl: out of memory");
            headers_.release();
            headers_.reset(grown);
        }
        const long timeout = static_cast<long>(options_.timeout.count());
        bool ok = true;
        auto set = [&](CURLoption option, auto value) {
            ok = ok && curl_easy_setopt(h, option, value) == CURLE_OK;
        };
        set(CURLOPT_URL, url_.c_str());
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        set(CURLOPT_POST, 1L);
        set(CURLOPT_HTTPHEADER, headers_.get());
        set(CURLOPT_USERAGENT, "fostat");
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_TIMEOUT_MS, timeout);
        set(CURLOPT_CONNECTTIMEOUT_MS, timeout);
        set(CURLOPT_FOLLOWLOCATION, 0L);
        // Traffic goes only where the user said: no proxy from http_proxy and the like.
        set(CURLOPT_PROXY, "");
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options_.tls_ca.empty()) {
            set(CURLOPT_CAINFO, options_.tls_ca.c_str());
            // Otherwise the system's CA directory would be trusted too.
            set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
        }
        if (!options_.tls_cert.empty())
            set(CURLOPT_SSLCERT, options_.tls_cert.c_str());
        if (!options_.tls_key.empty())
            set(CURLOPT_SSLKEY, options_.tls_key.c_str());
        if (!options_.auth_file.empty()) {
            set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
            set(CURLOPT_USERNAME, credentials_.user.c_str());
            set(CURLOPT_PASSWORD, credentials_.password.c_str());
        }
        set(CURLOPT_ERRORBUFFER, error_);
        set(CURLOPT_WRITEFUNCTION, &HttpChannel::on_body);
        set(CURLOPT_HEADERFUNCTION, &HttpChannel::on_header);
        set(CURLOPT_HEADERDATA, &status_line_);
        if (!ok) {
            handle_.reset();
            fail(command, "libcurl refuses an option (is it older than 7.85?)");
        }
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* body) {
        static_cast<std::string*>(body)->append(data, size * count);
        return size * count;
    }

    // Keeps the status line of the last response ("HTTP/1.1 401 Unauthorized").
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* line) {
        const std::string_view header(data, size * count);
        if (header.starts_with("HTTP/"))
            *static_cast<std::string*>(line) = one_line(header, 100);
        return size * count;
    }

    // The server's own words for `status` if it gave any, or the usual ones.
    std::string reason_phrase(long status) const {
        // "HTTP/1.1 500 Internal Server Error": the reason follows the second space.
        const std::size_t first = status_line_.find(' ');
        const std::size_t second =
            first == std::string::npos ? std::string::npos : status_line_.find(' ', first + 1);
        if (second != std::string::npos && second + 1 < status_line_.size())
            return status_line_.substr(second + 1);
        return reason_of(status);
    }

    std::string transfer_error(CURLcode code, std::size_t received) const {
        const std::string detail = one_line(error_[0] != '\0' ? error_ : curl_easy_strerror(code));
        const std::string ca = options_.tls_ca.empty() ? "the system's CAs" : options_.tls_ca;
        switch (code) {
            case CURLE_COULDNT_RESOLVE_HOST:
                return "cannot resolve the host name (" + detail + ")";
            case CURLE_COULDNT_CONNECT: {
                long os_error = 0;
                curl_easy_getinfo(handle_.get(), CURLINFO_OS_ERRNO, &os_error);
                if (os_error == ECONNREFUSED)
                    return "connection refused (is Kea's HTTP API listening on this address and "
                           "port: kea-dhcp4's http control socket, or kea-ctrl-agent before "
                           "3.1.8?)";
                if (os_error != 0)
                    return std::string("cannot connect: ") +
                           std::strerror(static_cast<int>(os_error)) + " (" + detail + ")";
                return "cannot connect (" + detail + ")";
            }
            case CURLE_OPERATION_TIMEDOUT:
                if (received == 0)
                    return "no reply within " + duration_text(options_.timeout) + " (" + detail +
                           ")";
                return "no complete reply within " + duration_text(options_.timeout) + " (" +
                       detail + ")";
            case CURLE_PEER_FAILED_VERIFICATION:
                if (detail.find("subject name") != std::string::npos ||
                    detail.find("host name") != std::string::npos)
                    return "TLS: the server's certificate is not for the host in the URL (" +
                           detail + ")";
                return "TLS: the server's certificate is not trusted by " + ca +
                       ": no CA there signed it (" + detail + ")";
            case CURLE_SSL_CACERT_BADFILE:
                return "TLS: cannot use the CA file " + ca + " (" + detail + ")";
            case CURLE_SSL_CERTPROBLEM:
                return "TLS: cannot use the client certificate or key (" + detail + ")";

            case CURLE_GOT_NOTHING:
                return "the server closed the connection without a reply";
            case CURLE_PARTIAL_FILE:
                return "the reply was cut off after " + std::to_string(received) +
                       " bytes of its body (" + detail + ")";
            case CURLE_SSL_CONNECT_ERROR:
            case CURLE_RECV_ERROR:
            case CURLE_SEND_ERROR:
                // With TLS 1.3 a server that wants a client certificate says so only after
                // the handshake, as an alert on the first read.
                if (detail.find("certificate required") != std::string::npos)
                    return "TLS: Kea requires a client certificate: give --tls-cert and "
                           "--tls-key (" +
                           detail + ")";
                if (code == CURLE_SSL_CONNECT_ERROR)
                    return "TLS handshake failed (" + detail + ")";
                if (detail.find("SSL") != std::string::npos)
                    return "TLS: connection lost (" + detail + ")";
                return "connection lost (" + detail + ")";
            case CURLE_WEIRD_SERVER_REPLY:
                return "not an HTTP reply (" + detail + ")";
            default:
                return detail;
        }
    }

    std::string url_;
    KeaHttpOptions options_;
    Credentials credentials_;
    CurlEasy handle_;
    CurlSlist headers_;
    std::string status_line_;
    char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<KeaChannel> open_kea_http(const KeaHttpOptions& options) {
    return std::make_unique<HttpChannel>(options);
}

}  // namespace fostat
