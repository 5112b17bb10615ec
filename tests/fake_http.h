// Test fakes of network servers: a stop signal for their threads, and an HTTP/1.1 server on
// the loopback (kea-ctrl-agent for the kea source, a remote-write receiver for --remote-write).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fostat {

// The end a test keeps to stop a server thread: poll()ing threads watch its read end.
class StopSignal {
  public:
    StopSignal() {
        if (::pipe2(fds_, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
    }
    ~StopSignal() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    void raise() { [[maybe_unused]] auto n = ::write(fds_[1], "x", 1); }
    // Waits until `fd` is readable: false when stopped first.
    bool wait_readable(int fd) const {
        pollfd p[2] = {{fds_[0], POLLIN, 0}, {fd, POLLIN, 0}};
        while (::poll(p, 2, -1) < 0) {
        }
        return (p[0].revents & POLLIN) == 0;
    }
    // Sleeps for `d` (forever if negative): false when stopped first.
    bool pause(std::chrono::milliseconds d) const {
        pollfd p{fds_[0], POLLIN, 0};
        int n;
        while ((n = ::poll(&p, 1, static_cast<int>(d.count()))) < 0) {
        }
        return n == 0;
    }

  private:
    int fds_[2];
};

struct HttpRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;

    std::string header(const std::string& name) const {
        for (const auto& [n, v] : headers)
            if (n == name)
                return v;
        return "(none)";
    }
};

// A fake server's loop: each connection accepted on `listener` is handed to `serve` and then
// closed, until `stop` is raised.
template <class Serve>
void serve_each(const StopSignal& stop, int listener, Serve&& serve) {
    while (stop.wait_readable(listener)) {
        const int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        serve(c);
        ::close(c);
    }
}

// An HTTP/1.1 server on 127.0.0.1 that answers every request of a connection with the same
// bytes (keeping the connection open like kea-ctrl-agent), or with the given responses in
// turn (the last one again once they run out), or plays a failure.
class FakeHttpServer {
  public:
    enum Play { answer, cut_off, never, close_without_reply };

    FakeHttpServer(std::string response, Play play = answer)
        : FakeHttpServer(std::vector<std::string>{std::move(response)}, play) {}
    explicit FakeHttpServer(std::vector<std::string> responses, Play play = answer)
        : responses_(std::move(responses)), play_(play) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listener_, 8) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size) != 0)
            throw std::runtime_error("cannot listen on 127.0.0.1");
        url_ = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/";
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeHttpServer() {
        stop_.raise();
        thread_.join();
        ::close(listener_);
    }
    const std::string& url() const { return url_; }
    std::vector<HttpRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    int connections() const { return connections_; }

  private:
    void serve() {
        serve_each(stop_, listener_, [this](int c) {
            ++connections_;
            while (one_exchange(c)) {
            }
        });
    }

    // One request and its answer; false when the connection is to end.
    bool one_exchange(int c) {
        std::string in;
        std::size_t head_end;
        while ((head_end = in.find("\r\n\r\n")) == std::string::npos)
            if (!receive(c, in))
                return false;
        HttpRequest r;
        std::istringstream head(in.substr(0, head_end));
        std::string line;
        std::getline(head, line);
        std::istringstream(line) >> r.method >> r.target;
        std::size_t length = 0;
        while (std::getline(head, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            const std::size_t colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (char& ch : name)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            const std::size_t start =
                colon == std::string::npos ? line.size() : line.find_first_not_of(' ', colon + 1);
            std::string value = start == std::string::npos ? "" : line.substr(start);
            if (name == "content-length")
                length = std::stoul(value);
            r.headers.emplace_back(name, value);
        }
        while (in.size() < head_end + 4 + length)
            if (!receive(c, in))
                return false;
        r.body = in.substr(head_end + 4, length);
        std::string response;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(r);
            response = responses_[std::min(requests_.size(), responses_.size()) - 1];
        }
        switch (play_) {
            case answer:
                return ::send(c, response.data(), response.size(), MSG_NOSIGNAL) ==
                       static_cast<ssize_t>(response.size());
            case cut_off:
                ::send(c, response.data(), response.size() / 2, MSG_NOSIGNAL);
                return false;
            case never:
                stop_.pause(std::chrono::milliseconds(-1));
                return false;
            case close_without_reply:
                return false;
        }
        return false;
    }

    bool receive(int c, std::string& in) {
        char buffer[4096];
        if (!stop_.wait_readable(c))
            return false;
        const ssize_t n = ::recv(c, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        in.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    std::vector<std::string> responses_;
    Play play_;
    int listener_ = -1;
    std::string url_;
    StopSignal stop_;
    mutable std::mutex mutex_;
    std::vector<HttpRequest> requests_;
    std::atomic<int> connections_{0};
    std::thread thread_;
};

inline std::string http_response(const std::string& status_line, const std::string& body,
                                 const std::string& extra_headers = "") {
    return status_line + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace fostat
