#include "net/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "os/files.h"

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

// The first line of a file that holds a secret. A secret every user of the machine can read
// is none: refused rather than used.
std::string read_secret_line(const std::string& what, const std::string& path) {
    if (os::readable_by_everyone(path)) {
        throw InputError(what + " " + path +
                         ": every user of this machine can read it; make it readable by the "
                         "collector's user only (chmod 600 " +
                         path + ")");
    }
    constexpr std::size_t kMax = 64 * 1024;
    const std::string text = read_head(what, path, kMax);
    const std::size_t end = text.find('\n');
    if (end == std::string::npos && text.size() == kMax)
        throw InputError(what + " " + path + ": the first line is longer than 64 KiB");
    std::string line = text.substr(0, end);
    if (end != std::string::npos && !line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

struct Credentials {
    std::string user;
    std::string password;
};

// The auth file's first line is "user:password"; the user is what precedes the first ':'
// (basic authentication allows no ':' in a user name), the password may hold any.
Credentials read_credentials(const std::string& path) {
    const std::string line = read_secret_line("auth file", path);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos)
        throw InputError("auth file " + path +
                         ": the first line is not user:password (no ':' found)");
    return {line.substr(0, colon), line.substr(colon + 1)};
}

// The bearer token file's first line is the token, as Prometheus' bearer_token_file has it.
std::string read_token(const std::string& path) {
    std::string token = read_secret_line("bearer token file", path);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    if (token.empty())
        throw InputError("bearer token file " + path + ": the first line is empty");
    if (std::any_of(token.begin(), token.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        throw InputError("bearer token file " + path +
                         ": the token holds a control character; give it on the first line "
                         "alone");
    return token;
}

// The reason phrases of the statuses a server or a proxy in front of it may give, for the
// HTTP versions whose status line has none.
std::string reason_of(long status) {
    static constexpr std::pair<long, const char*> kReasons[] = {{301, "Moved Permanently"},
                                                                {302, "Found"},
                                                                {307, "Temporary Redirect"},
                                                                {308, "Permanent Redirect"},
                                                                {400, "Bad Request"},
                                                                {401, "Unauthorized"},
                                                                {403, "Forbidden"},
                                                                {404, "Not Found"},
                                                                {405, "Method Not Allowed"},
                                                                {408, "Request Timeout"},
                                                                {413, "Content Too Large"},
                                                                {429, "Too Many Requests"},
                                                                {500, "Internal Server Error"},
                                                                {502, "Bad Gateway"},
                                                                {503, "Service Unavailable"},
                                                                {504, "Gateway Timeout"}};
    for (const auto& [code, reason] : kReasons)
        if (code == status)
            return reason;
    return "";
}

// Throws InputError unless `text` is an http:// or https:// URL without a user or password.
void check_url(const std::string& text) {
    if (curl_ready() != CURLE_OK)
        throw SourceError(text + ": libcurl: " + curl_easy_strerror(curl_ready()));
    const CurlUrl url(curl_url());
    if (!url)
        throw SourceError(text + ": libcurl: out of memory");
    if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
        // Quoting it could show a password, should there be one before an '@'.
        throw InputError(text.find('@') == std::string::npos
                             ? "URL " + excerpt(text) + ": not a valid URL"
                             : "URL: not a valid URL");
    char* part = nullptr;
    curl_url_get(url.get(), CURLUPART_SCHEME, &part, 0);
    const CurlText scheme(part);
    part = nullptr;
    const std::string s = scheme ? scheme.get() : "";
    if (s != "http" && s != "https")
        throw InputError("URL " + excerpt(text) + ": not an http:// or https:// URL");
    const bool has_user = curl_url_get(url.get(), CURLUPART_USER, &part, 0) == CURLUE_OK;
    const CurlText user(part);
    part = nullptr;
    const bool has_password = curl_url_get(url.get(), CURLUPART_PASSWORD, &part, 0) == CURLUE_OK;
    const CurlText password(part);
    if (has_user || has_password) {
        // Name the URL without what might be a password.
        curl_url_set(url.get(), CURLUPART_USER, nullptr, 0);
        curl_url_set(url.get(), CURLUPART_PASSWORD, nullptr, 0);
        part = nullptr;
        curl_url_get(url.get(), CURLUPART_URL, &part, 0);
        const CurlText bare(part);
        throw InputError("URL " + std::string(bare ? bare.get() : "") +
                         ": a user or password in the URL is refused: put them in an auth "
                         "file");
    }
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* body) {
    static_cast<std::string*>(body)->append(data, size * count);
    return size * count;
}

// Keeps the status line of the last response ("HTTP/1.1 401 Unauthorized").
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* line) {
    const std::string_view header(data, size * count);
    if (header.starts_with("HTTP/"))
        *static_cast<std::string*>(line) = one_line(header, 100);
    return size * count;
}

}  // namespace

std::string duration_text(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0)
        return std::to_string(d.count() / 1000) + " s";
    return std::to_string(d.count()) + " ms";
}

std::string one_line(std::string_view text, std::size_t max) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const char printable = c < 0x20 || c == 0x7f ? ' ' : ch;
        if (printable == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out.push_back(printable);
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (out.size() > max)
        out = out.substr(0, max) + "...";
    return out;
}

struct HttpClient::State {
    HttpOptions options;
    Credentials credentials;
    CurlEasy handle;
    CurlSlist headers;
    std::string status_line;
    char error[CURL_ERROR_SIZE] = {};

    std::string token;  // the bearer token in the headers

    // The request headers, with the bearer token as its file holds it now: a token that is
    // rotated (a new file put in place) is used from the next request on.
    void set_headers() {
        if (handle && (options.bearer_file.empty() || read_token(options.bearer_file) == token))
            return;
        std::vector<std::string> lines = options.headers;
        // curl would wait for a "100 Continue" a server may never send.
        lines.emplace_back("Expect:");
        if (!options.bearer_file.empty()) {
            token = read_token(options.bearer_file);
            lines.push_back("Authorization: Bearer " + token);
        }
        CurlSlist list;
        for (const std::string& line : lines) {
            curl_slist* grown = curl_slist_append(list.get(), line.c_str());
            if (grown == nullptr)
                throw HttpFailure("libcurl: out of memory");
            list.release();
            list.reset(grown);
        }
        if (handle && curl_easy_setopt(handle.get(), CURLOPT_HTTPHEADER, list.get()) != CURLE_OK)
            throw HttpFailure("libcurl refuses the request's headers");
        headers = std::move(list);
    }

    void set_up() {
        set_headers();
        handle.reset(curl_easy_init());
        if (!handle)
            throw HttpFailure("libcurl cannot make a handle");
        CURL* h = handle.get();
        const long timeout = static_cast<long>(options.timeout.count());
        bool ok = true;
        auto set = [&](CURLoption option, auto value) {
            ok = ok && curl_easy_setopt(h, option, value) == CURLE_OK;
        };
        set(CURLOPT_URL, options.url.c_str());
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        set(CURLOPT_POST, 1L);
        set(CURLOPT_HTTPHEADER, headers.get());
        set(CURLOPT_USERAGENT, "fostat");
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_TIMEOUT_MS, timeout);
        set(CURLOPT_CONNECTTIMEOUT_MS, timeout);
        set(CURLOPT_FOLLOWLOCATION, 0L);
        // Traffic goes only where the user said: no proxy from http_proxy and the like.
        set(CURLOPT_PROXY, "");
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options.tls_ca.empty()) {
            set(CURLOPT_CAINFO, options.tls_ca.c_str());
            // Otherwise the system's CA directory would be trusted too.
            set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
        }
        if (!options.tls_cert.empty())
            set(CURLOPT_SSLCERT, options.tls_cert.c_str());
        if (!options.tls_key.empty())
            set(CURLOPT_SSLKEY, options.tls_key.c_str());
        if (!options.auth_file.empty()) {
            set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
            set(CURLOPT_USERNAME, credentials.user.c_str());
            set(CURLOPT_PASSWORD, credentials.password.c_str());
        }
        set(CURLOPT_ERRORBUFFER, error);
        set(CURLOPT_WRITEFUNCTION, &on_body);
        set(CURLOPT_HEADERFUNCTION, &on_header);
        set(CURLOPT_HEADERDATA, &status_line);
        if (!ok) {
            handle.reset();
            throw HttpFailure("libcurl refuses an option (is it older than 7.85?)");
        }
    }

    // The server's own words for `status` if it gave any, or the usual ones.
    std::string reason_phrase(long status) const {
        // "HTTP/1.1 500 Internal Server Error": the reason follows the second space.
        const std::size_t first = status_line.find(' ');
        const std::size_t second =
            first == std::string::npos ? std::string::npos : status_line.find(' ', first + 1);
        if (second != std::string::npos && second + 1 < status_line.size())
            return status_line.substr(second + 1);
        return reason_of(status);
    }

    std::string transfer_error(CURLcode code, std::size_t received) const {
        const std::string detail = one_line(error[0] != '\0' ? error : curl_easy_strerror(code));
        const std::string ca = options.tls_ca.empty() ? "the system's CAs" : options.tls_ca;
        const auto hinted = [](std::string text, const std::string& hint) {
            return hint.empty() ? text : text + " (" + hint + ")";
        };
        switch (code) {
            case CURLE_COULDNT_RESOLVE_HOST:
                return "cannot resolve the host name (" + detail + ")";
            case CURLE_COULDNT_CONNECT: {
                long os_error = 0;
                curl_easy_getinfo(handle.get(), CURLINFO_OS_ERRNO, &os_error);
                if (os_error == ECONNREFUSED)
                    return hinted("connection refused", options.refused_hint);
                if (os_error != 0)
                    return std::string("cannot connect: ") +
                           std::strerror(static_cast<int>(os_error)) + " (" + detail + ")";
                return "cannot connect (" + detail + ")";
            }
            case CURLE_OPERATION_TIMEDOUT:
                if (received == 0)
                    return "no reply within " + duration_text(options.timeout) + " (" + detail +
                           ")";
                return "no complete reply within " + duration_text(options.timeout) + " (" +
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
                    return "TLS: " + options.client_cert_hint + " (" + detail + ")";
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
};

HttpClient::HttpClient(HttpOptions options) : state_(std::make_unique<State>()) {
    check_url(options.url);
    if (!options.auth_file.empty() && !options.bearer_file.empty())
        throw InputError("an auth file and a bearer token file: give one of the two");
    if (!options.auth_file.empty())
        state_->credentials = read_credentials(options.auth_file);
    if (!options.bearer_file.empty())
        read_token(options.bearer_file);  // refused at once; read again for each request
    if (!options.tls_ca.empty())
        read_head("CA file", options.tls_ca, 1);
    if (!options.tls_cert.empty())
        read_head("certificate file", options.tls_cert, 1);
    if (!options.tls_key.empty())
        read_head("key file", options.tls_key, 1);
    if (options.client_cert_hint.empty())
        options.client_cert_hint = "the server requires a client certificate";
    state_->options = std::move(options);
}

HttpClient::~HttpClient() = default;

const std::string& HttpClient::url() const {
    return state_->options.url;
}

const HttpOptions& HttpClient::options() const {
    return state_->options;
}

HttpReply HttpClient::post(std::string_view body) {
    State& s = *state_;
    if (!s.handle)
        s.set_up();
    else
        s.set_headers();
    HttpReply reply;
    s.status_line.clear();
    s.error[0] = '\0';
    CURL* h = s.handle.get();
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
    const CURLcode code = curl_easy_perform(h);
    // The body dies with the caller: curl must not hold a pointer to it.
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
    if (code != CURLE_OK)
        throw HttpFailure(s.transfer_error(code, reply.body.size()));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
    reply.reason = s.reason_phrase(reply.status);
    return reply;
}

}  // namespace fostat
