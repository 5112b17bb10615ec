#include "sources/kea_channel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fake_http.h"
#include "fostat/error.h"
#include "test_support.h"

namespace fostat {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::TempDir;

std::string kea_lab(const std::string& name) {
    std::ifstream in(std::string(FOSTAT_SAMPLES_DIR) + "/kea-lab/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw std::runtime_error("cannot read tests/data/kea-lab/" + name);
    return text.str();
}

// The message of the SourceError that `f` throws, or "no error".
std::string source_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const SourceError& e) {
        return e.what();
    }
    return "no error";
}

std::string input_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

// Readable by its owner only, as an auth file must be.
std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << text;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return path;
}

// ---- a fake kea-dhcp4 control socket ---------------------------------------------------

struct Piece {
    std::string bytes;
    std::chrono::milliseconds pause_after{0};
};

enum class SocketPlay {
    reply,          // reads one request, writes the pieces with their pauses, closes
    never_reply,    // reads the request, then says nothing until stopped
    trickle,        // reads the request, then one byte every 20 ms, never closing
    close_at_once,  // accepts and closes without reading
};

// Listens on `path` and plays each connection the same way, on its own thread.
class FakeKeaSocket {
  public:
    FakeKeaSocket(std::string path, SocketPlay play, std::vector<Piece> reply = {})
        : path_(std::move(path)), play_(play), reply_(std::move(reply)) {
        listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listener_, 8) != 0)
            throw std::runtime_error("cannot listen on " + path_);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeKeaSocket() {
        stop_.raise();
        thread_.join();
        ::close(listener_);
        ::unlink(path_.c_str());
    }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    void serve() {
        serve_each(stop_, listener_, [this](int c) { play(c); });
    }

    void play(int c) {
        if (play_ == SocketPlay::close_at_once)
            return;
        // Like Kea: read until the request is one whole JSON text.
        std::string request;
        char buffer[4096];
        while (!nlohmann::json::accept(request)) {
            if (!stop_.wait_readable(c))
                return;
            const ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            request.append(buffer, static_cast<std::size_t>(n));
        }
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
        }
        switch (play_) {
            case SocketPlay::reply:
                for (const Piece& p : reply_) {
                    if (!send_all(c, p.bytes))
                        return;
                    if (p.pause_after > 0ms && !stop_.pause(p.pause_after))
                        return;
                }
                return;
            case SocketPlay::never_reply:
                stop_.pause(-1ms);
                return;
            case SocketPlay::trickle:
                while (send_all(c, "x") && stop_.pause(20ms)) {
                }
                return;
            case SocketPlay::close_at_once:
                return;
        }
    }

    static bool send_all(int c, const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(c, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    std::string path_;
    SocketPlay play_;
    std::vector<Piece> reply_;
    int listener_ = -1;
    StopSignal stop_;
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

std::string send_to_socket(const std::string& path, const std::string& command,
                           const std::string& arguments = "",
                           std::chrono::milliseconds timeout = 2s) {
    return open_kea_socket(path, timeout)->command(command, arguments);
}

TEST(KeaChannelSocket, ReadsAReplyThatComesInSeveralWrites) {
    TempDir dir;
    // Kea writes 32 KiB at a time: the real 45 KB lease4-get-all reply, cut where Kea cut it.
    const std::string reply = kea_lab("load-balancing/server1.lease4-get-all.json");
    ASSERT_GT(reply.size(), 32768u);
    FakeKeaSocket kea(dir.file("kea4.sock"), SocketPlay::reply,
                      {{reply.substr(0, 7), 30ms},
                       {reply.substr(7, 32768 - 7), 30ms},
                       {reply.substr(32768), 0ms}});
    EXPECT_EQ(send_to_socket(dir.file("kea4.sock"), "lease4-get-all"), reply);
    EXPECT_EQ(kea.requests(), std::vector<std::string>{R"({"command": "lease4-get-all"})"});
}

TEST(KeaChannelSocket, SendsTheArgumentsAndTakesAReplyOfMegabytes) {
    TempDir dir;
    const std::string big =
        "{ \"arguments\": { \"leases\": [ " + std::string(3 << 20, ' ') + "] }, \"result\": 0 }";
    FakeKeaSocket kea(dir.file("kea4.sock"), SocketPlay::reply, {{big, 0ms}});
    auto channel = open_kea_socket(dir.file("kea4.sock"), 2s);
    EXPECT_EQ(channel->command("lease4-get-page", R"({ "from": "start", "limit": 100 })"), big);
    // One connection per command, as Kea wants.
    EXPECT_EQ(channel->command("lease4-get-page", R"({ "from": "198.18.1.10", "limit": 100 })"),
              big);
    EXPECT_EQ(
        kea.requests(),
        (std::vector<std::string>{
            R"({"command": "lease4-get-page", "arguments": { "from": "start", "limit": 100 }})",
            R"({"command": "lease4-get-page", "arguments": { "from": "198.18.1.10", "limit": 100 }})"}));
}

TEST(KeaChannelSocket, TimesOutWhenTheServerNeverReplies) {
    TempDir dir;
    FakeKeaSocket kea(dir.file("kea4.sock"), SocketPlay::never_reply);
    const auto start = Clock::now();
    const std::string error =
        source_error([&] { send_to_socket(dir.file("kea4.sock"), "status-get", "", 200ms); });
    const auto took = Clock::now() - start;
    EXPECT_EQ(error,
              "unix socket " + dir.file("kea4.sock") + ": status-get: no reply within 200 ms");
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 600ms);
}

TEST(KeaChannelSocket, TheTimeoutBoundsTheWholeCommandNotEachRead) {
    TempDir dir;
    FakeKeaSocket kea(dir.file("kea4.sock"), SocketPlay::trickle);
    const auto start = Clock::now();
    const std::string error =
        source_error([&] { send_to_socket(dir.file("kea4.sock"), "status-get", "", 200ms); });
    const auto took = Clock::now() - start;
    EXPECT_TRUE(error.starts_with("unix socket " + dir.file("kea4.sock") +
                                  ": status-get: no complete reply within 200 ms ("))
        << error;
    EXPECT_TRUE(error.ends_with(" bytes received)")) << error;
    EXPECT_LT(took, 600ms);
}

TEST(KeaChannelSocket, AServerThatClosesAtOnceGaveNoReply) {
    TempDir dir;
    FakeKeaSocket kea(dir.file("kea4.sock"), SocketPlay::close_at_once);
    EXPECT_EQ(source_error([&] { send_to_socket(dir.file("kea4.sock"), "status-get"); }),
              "unix socket " + dir.file("kea4.sock") +
                  ": status-get: the server closed the connection without a reply");
}

TEST(KeaChannelSocket, NamesTheCauseWhenItCannotConnect) {
    TempDir dir;
    // A socket that is bound but not listening refuses, like one left by a stopped server.
    const std::string refused = dir.file("stale.sock");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, refused.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(source_error([&] { send_to_socket(refused, "status-get"); }),
              "unix socket " + refused +
                  ": status-get: connection refused (is kea-dhcp4 running, and is this its "
                  "control socket?)");
    ::close(fd);

    EXPECT_EQ(source_error([&] { send_to_socket(dir.file("missing.sock"), "config-get"); }),
              "unix socket " + dir.file("missing.sock") + ": config-get: no such socket");

    const std::string long_path = "/tmp/" + std::string(120, 'k') + ".sock";
    EXPECT_EQ(source_error([&] { send_to_socket(long_path, "status-get"); }),
              "unix socket " + long_path +
                  ": status-get: the path is too long for a unix socket (130 bytes, at most "
                  "107)");
}

TEST(KeaChannelSocket, PermissionDenied) {
    TempDir dir;
    const std::string path = dir.file("kea4.sock");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    ASSERT_EQ(::chmod(path.c_str(), 0), 0);
    std::string error;
    if (::geteuid() != 0) {
        error = source_error([&] { send_to_socket(path, "status-get"); });
    } else {
        // Root passes every permission check: try as nobody in a child (no other thread runs
        // now, so the child may allocate).
        int out[2];
        ASSERT_EQ(::pipe(out), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(out[0]);
            std::string message = "cannot become nobody";
            if (::setgid(65534) == 0 && ::setuid(65534) == 0)
                message = source_error([&] { send_to_socket(path, "status-get"); });
            [[maybe_unused]] auto n = ::write(out[1], message.data(), message.size());
            ::_exit(0);
        }
        ::close(out[1]);
        char buffer[512];
        ssize_t n;
        while ((n = ::read(out[0], buffer, sizeof buffer)) > 0)
            error.append(buffer, static_cast<std::size_t>(n));
        ::close(out[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
    }
    ::close(fd);
    EXPECT_EQ(error, "unix socket " + path + ": status-get: permission denied");
}

// "fostat:s3cret" in base64.
constexpr const char* kBasicFostatS3cret = "Basic Zm9zdGF0OnMzY3JldA==";

TEST(KeaChannelHttp, PostsTheCommandWithBasicAuthAndReturnsTheBody) {
    TempDir dir;
    // The whole response kea-ctrl-agent sent in the lab, byte for byte.
    const std::string response = kea_lab("load-balancing/server1.ca.stat-lease4-get.http");
    const std::string body = response.substr(response.find("\r\n\r\n") + 4);
    ASSERT_TRUE(body.starts_with("[ { \"arguments\": {")) << body;
    FakeHttpServer agent(response);
    KeaHttpOptions options;
    options.url = agent.url();
    options.auth_file = write_file(dir, "auth", "fostat:s3cret\n");
    auto channel = open_kea_http(options);
    EXPECT_EQ(channel->where(), agent.url());
    EXPECT_EQ(channel->command("stat-lease4-get", ""), body);
    EXPECT_EQ(channel->command("stat-lease4-get", R"({ "subnet-id": 5 })"), body);

    const auto requests = agent.requests();
    ASSERT_EQ(requests.size(), 2u);
    for (const HttpRequest& r : requests) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.target, "/");
        EXPECT_EQ(r.header("content-type"), "application/json");
        EXPECT_EQ(r.header("authorization"), kBasicFostatS3cret);
        EXPECT_EQ(r.header("expect"), "(none)");
    }
    EXPECT_EQ(requests[0].body, R"({"command": "stat-lease4-get", "service": ["dhcp4"]})");
    EXPECT_EQ(
        requests[1].body,
        R"({"command": "stat-lease4-get", "service": ["dhcp4"], "arguments": { "subnet-id": 5 }})");
    EXPECT_EQ(agent.connections(), 1);  // the agent kept the connection open
}

TEST(KeaChannelHttp, TheAuthFilesFirstLineWithOrWithoutItsLineEnd) {
    TempDir dir;
    FakeHttpServer agent(http_response("HTTP/1.1 200 OK", "[ { \"result\": 0 } ]"));
    for (const std::string content :
         {"fostat:s3cret", "fostat:s3cret\r\n", "fostat:s3cret\nsecond line\n"}) {
        KeaHttpOptions options;
        options.url = agent.url();
        options.auth_file = write_file(dir, "auth", content);
        open_kea_http(options)->command("status-get", "");
    }
    KeaHttpOptions no_auth;
    no_auth.url = agent.url();
    open_kea_http(no_auth)->command("status-get", "");
    const auto requests = agent.requests();
    ASSERT_EQ(requests.size(), 4u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(requests[i].header("authorization"), kBasicFostatS3cret) << i;
    EXPECT_EQ(requests[3].header("authorization"), "(none)");
}

TEST(KeaChannelHttp, RefusesABadAuthFileOrUrlAtOnce) {
    TempDir dir;
    KeaHttpOptions options;
    options.url = "http://127.0.0.1:8000/";
    options.auth_file = dir.file("missing");
    EXPECT_EQ(input_error([&] { open_kea_http(options); }),
              "auth file " + dir.file("missing") + ": cannot read: No such file or directory");
    options.auth_file = write_file(dir, "world-readable", "fostat:s3cret\n");
    std::filesystem::permissions(options.auth_file, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    EXPECT_EQ(input_error([&] { open_kea_http(options); }),
              "auth file " + options.auth_file +
                  ": every user of this machine can read it; make it readable by the "
                  "collector's user only (chmod 600 " +
                  options.auth_file + ")");
    options.auth_file = write_file(dir, "auth", "s3cret-without-a-user\n");
    const std::string error = input_error([&] { open_kea_http(options); });
    EXPECT_EQ(error, "auth file " + options.auth_file +
                         ": the first line is not user:password (no ':' found)");
    EXPECT_EQ(error.find("s3cret"), std::string::npos);

    options.auth_file.clear();
    options.url = "ftp://127.0.0.1/";
    EXPECT_EQ(input_error([&] { open_kea_http(options); }),
              "URL 'ftp://127.0.0.1/': not an http:// or https:// URL");
    options.url = "http://fostat:s3cret@127.0.0.1:8000/";
    EXPECT_EQ(input_error([&] { open_kea_http(options); }),
              "URL http://127.0.0.1:8000/: a user or password in the URL is refused: put them "
              "in an auth file");
    options.url = "http://fostat:s3cret@127.0.0.1:port/";
    EXPECT_EQ(input_error([&] { open_kea_http(options); }), "URL: not a valid URL");
    options.url = "http://127.0.0.1:8000/";
    options.tls_ca = dir.file("no-ca.pem");
    EXPECT_EQ(input_error([&] { open_kea_http(options); }),
              "CA file " + dir.file("no-ca.pem") + ": cannot read: No such file or directory");
}

TEST(KeaChannelHttp, Http401NamesTheAuthFileNotThePassword) {
    TempDir dir;
    FakeHttpServer agent(kea_lab("errors/ca.401.bad-password.http"));
    KeaHttpOptions options;
    options.url = agent.url();
    options.auth_file = write_file(dir, "auth", "fostat:s3cret\n");
    const std::string error =
        source_error([&] { open_kea_http(options)->command("status-get", ""); });
    EXPECT_EQ(error, agent.url() +
                         ": status-get: HTTP 401 Unauthorized: check the user and "
                         "password in " +
                         options.auth_file);
    EXPECT_EQ(error.find("s3cret"), std::string::npos);

    options.auth_file.clear();
    EXPECT_EQ(source_error([&] { open_kea_http(options)->command("status-get", ""); }),
              agent.url() +
                  ": status-get: HTTP 401 Unauthorized: Kea wants a user and password: give "
                  "--auth-file");
}

TEST(KeaChannelHttp, OtherStatusesAreErrorsWithTheirReason) {
    FakeHttpServer failing(http_response("HTTP/1.1 500 Internal Server Error",
                                         "{ \"result\": 1, \"text\": \"boom\" }"));
    KeaHttpOptions options;
    options.url = failing.url();
    EXPECT_EQ(source_error([&] { open_kea_http(options)->command("config-get", ""); }),
              failing.url() +
                  ": config-get: HTTP 500 Internal Server Error: { \"result\": 1, \"text\": "
                  "\"boom\" }");

    FakeHttpServer moved(
        http_response("HTTP/1.1 302 Found", "", "Location: http://192.0.2.1/\r\n"));
    options.url = moved.url();
    EXPECT_EQ(source_error([&] { open_kea_http(options)->command("config-get", ""); }),
              moved.url() +
                  ": config-get: HTTP 302 Found (redirects are not followed: give the final URL)");
    EXPECT_EQ(moved.requests().size(), 1u);
}

TEST(KeaChannelHttp, ACutOffBodyIsAnError) {
    FakeHttpServer agent(http_response("HTTP/1.1 200 OK", std::string(1000, ' ') + "[ ]"),
                         FakeHttpServer::cut_off);
    KeaHttpOptions options;
    options.url = agent.url();
    const std::string error =
        source_error([&] { open_kea_http(options)->command("lease4-get-all", ""); });
    EXPECT_TRUE(error.starts_with(agent.url() + ": lease4-get-all: the reply was cut off after "))
        << error;
}

TEST(KeaChannelHttp, AClosedConnectionIsAnError) {
    FakeHttpServer agent("", FakeHttpServer::close_without_reply);
    KeaHttpOptions options;
    options.url = agent.url();
    EXPECT_EQ(source_error([&] { open_kea_http(options)->command("status-get", ""); }),
              agent.url() + ": status-get: the server closed the connection without a reply");
}

TEST(KeaChannelHttp, TimesOutWhenTheAgentNeverReplies) {
    FakeHttpServer agent("", FakeHttpServer::never);
    KeaHttpOptions options;
    options.url = agent.url();
    options.timeout = 200ms;
    const auto start = Clock::now();
    const std::string error =
        source_error([&] { open_kea_http(options)->command("status-get", ""); });
    const auto took = Clock::now() - start;
    EXPECT_TRUE(error.starts_with(agent.url() + ": status-get: no reply within 200 ms (")) << error;
    EXPECT_GE(took, 150ms);
    EXPECT_LT(took, 600ms);
}

TEST(KeaChannelHttp, ConnectionRefused) {
    // A bound, not listening TCP port refuses, and nobody else can take it meanwhile.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof a;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size), 0);
    KeaHttpOptions options;
    options.url = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/";
    const std::string error =
        source_error([&] { open_kea_http(options)->command("status-get", ""); });
    ::close(fd);
    EXPECT_EQ(error, options.url +
                         ": status-get: connection refused (is Kea's HTTP API listening on this "
                         "address and port: kea-dhcp4's http control socket, or kea-ctrl-agent "
                         "before 3.1.8?)");
}

TEST(KeaChannelHttp, IgnoresProxiesFromTheEnvironment) {
    FakeHttpServer agent(http_response("HTTP/1.1 200 OK", "[ { \"result\": 0 } ]"));
    const char* names[] = {"http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"};
    for (const char* name : names)
        ::setenv(name, "http://127.0.0.1:9/", 1);
    KeaHttpOptions options;
    options.url = agent.url();
    std::string reply;
    const std::string error =
        source_error([&] { reply = open_kea_http(options)->command("status-get", ""); });
    for (const char* name : names)
        ::unsetenv(name);
    EXPECT_EQ(error, "no error");
    EXPECT_EQ(reply, "[ { \"result\": 0 } ]");
}

// ---- HTTPS against the real kea-ctrl-agent -----------------------------------------------

// `program`'s path in PATH or the sbin directories, or empty.
std::string find_program(const std::string& program) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/sbin:/sbin:/usr/local/sbin";
    std::istringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0)
            return dir + "/" + program;
    return "";
}

// A child process, stopped (SIGTERM) and reaped with the object.
class Child {
  public:
    Child(const std::string& program, const std::vector<std::string>& args,
          const std::vector<std::string>& extra_env, const std::string& log) {
        // Everything the child needs is made before fork(): threads run in this process.
        std::vector<std::string> env_text(extra_env);
        for (char** e = environ; *e != nullptr; ++e)
            env_text.emplace_back(*e);
        std::vector<char*> argv{const_cast<char*>(program.c_str())};
        for (const std::string& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::vector<char*> envp;
        for (std::string& e : env_text)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out, 1);
            ::dup2(out, 2);
            ::execve(program.c_str(), argv.data(), envp.data());
            ::_exit(127);
        }
        ::close(out);
    }
    ~Child() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

  private:
    pid_t pid_ = -1;
};

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts_tcp(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// A CA, a server certificate for 127.0.0.1 and a client certificate signed by it, and
// another CA that signed nothing of these.
bool make_certificates(const TempDir& dir) {
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2";
    const std::string ca_ext =
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
    write_file(dir, "server.ext",
               "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
               "extendedKeyUsage=serverAuth\n");
    write_file(dir, "client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    const std::string script =
        "cd '" + dir.file("") +
        "' && exec >openssl.log 2>&1 && "
        "openssl req -x509" +
        ec + ca_ext +
        " -keyout ca.key -out ca.pem -subj /CN=fostat-test-ca && "
        "openssl req -x509" +
        ec + ca_ext +
        " -keyout other-ca.key -out other-ca.pem -subj /CN=other-ca && "
        "openssl req -new" +
        ec +
        " -keyout server.key -out server.csr -subj /CN=127.0.0.1 && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.pem && "
        "openssl req -new" +
        ec +
        " -keyout client.key -out client.csr -subj /CN=fostat && "
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile client.ext -out client.pem";
    return std::system(script.c_str()) == 0;
}

TEST(KeaChannelTls, TheRealCtrlAgentOverHttps) {
    const std::string agent_program = find_program("kea-ctrl-agent");
    if (find_program("openssl").empty() || agent_program.empty())
        GTEST_SKIP() << "needs openssl and kea-ctrl-agent (tools/install-deps openssl "
                        "kea-ctrl-agent)";
    TempDir dir;
    ASSERT_TRUE(make_certificates(dir)) << "openssl failed: see " << dir.file("openssl.log");
    // The agent forwards to this stand-in for kea-dhcp4's control socket.
    FakeKeaSocket dhcp4(dir.file("kea4.sock"), SocketPlay::reply,
                        {{"{ \"result\": 0, \"text\": \"fake kea-dhcp4\" }", 0ms}});

    // Kea's default when TLS is on: client certificates are required.
    const int port = free_loopback_port();
    write_file(dir, "ca.json",
               R"({ "Control-agent": {
  "http-host": "127.0.0.1", "http-port": )" +
                   std::to_string(port) + R"(,
  "trust-anchor": ")" +
                   dir.file("ca.pem") + R"(", "cert-file": ")" + dir.file("server.pem") +
                   R"(", "key-file": ")" + dir.file("server.key") + R"(",
  "cert-required": true,
  "authentication": { "type": "basic", "realm": "fostat-test",
                      "clients": [ { "user": "fostat", "password": "s3cret" } ] },
  "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": ")" +
                   dir.file("kea4.sock") + R"(" } },
  "loggers": [ { "name": "kea-ctrl-agent", "severity": "INFO",
                 "output_options": [ { "output": "stdout" } ] } ] } })");
    Child agent(agent_program, {"-c", dir.file("ca.json")},
                {"KEA_PIDFILE_DIR=" + dir.file(""), "KEA_LOCKFILE_DIR=" + dir.file("")},
                dir.file("agent.log"));
    const auto deadline = Clock::now() + 10s;
    while (!accepts_tcp(port)) {
        ASSERT_TRUE(agent.running()) << "kea-ctrl-agent exited: see " << dir.file("agent.log");
        ASSERT_LT(Clock::now(), deadline) << "kea-ctrl-agent does not listen on port " << port;
        std::this_thread::sleep_for(10ms);
    }

    KeaHttpOptions options;
    options.url = "https://127.0.0.1:" + std::to_string(port) + "/";
    options.auth_file = write_file(dir, "auth", "fostat:s3cret\n");
    options.tls_ca = dir.file("ca.pem");
    options.tls_cert = dir.file("client.pem");
    options.tls_key = dir.file("client.key");
    options.timeout = 5s;
    EXPECT_EQ(open_kea_http(options)->command("status-get", ""),
              "[ { \"result\": 0, \"text\": \"fake kea-dhcp4\" } ]");
    EXPECT_EQ(dhcp4.requests().size(), 1u);

    KeaHttpOptions wrong_password = options;
    wrong_password.auth_file = write_file(dir, "bad-auth", "fostat:not-s3cret\n");
    EXPECT_EQ(source_error([&] { open_kea_http(wrong_password)->command("status-get", ""); }),
              options.url + ": status-get: HTTP 401 Unauthorized: check the user and password in " +
                  wrong_password.auth_file);

    KeaHttpOptions wrong_ca = options;
    wrong_ca.tls_ca = dir.file("other-ca.pem");
    std::string error = source_error([&] { open_kea_http(wrong_ca)->command("status-get", ""); });
    EXPECT_TRUE(error.starts_with(options.url +
                                  ": status-get: TLS: the server's certificate is "
                                  "not trusted by " +
                                  wrong_ca.tls_ca + ": no CA there signed it ("))
        << error;

    KeaHttpOptions system_cas = options;  // the test CA is not among the system's
    system_cas.tls_ca.clear();
    error = source_error([&] { open_kea_http(system_cas)->command("status-get", ""); });
    EXPECT_TRUE(error.starts_with(options.url + ": status-get: TLS: the server's certificate is "
                                                "not trusted by the system's CAs: no CA "
                                                "there signed it ("))
        << error;

    KeaHttpOptions other_name = options;  // the certificate is for 127.0.0.1 only
    other_name.url = "https://localhost:" + std::to_string(port) + "/";
    error = source_error([&] { open_kea_http(other_name)->command("status-get", ""); });
    EXPECT_TRUE(error.starts_with(other_name.url +
                                  ": status-get: TLS: the server's certificate is not for the "
                                  "host in the URL ("))
        << error;

    KeaHttpOptions no_client_cert = options;
    no_client_cert.tls_cert.clear();
    no_client_cert.tls_key.clear();
    error = source_error([&] { open_kea_http(no_client_cert)->command("status-get", ""); });
    EXPECT_TRUE(error.starts_with(options.url +
                                  ": status-get: TLS: Kea requires a client certificate: give "
                                  "--tls-cert and --tls-key ("))
        << error;

    EXPECT_EQ(dhcp4.requests().size(), 1u);  // nothing but the first got through
}

}  // namespace
}  // namespace fostat
