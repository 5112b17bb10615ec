// What the kea source's two transports (kea_socket.cpp, kea_http.cpp) share: the request's
// text and the words of their messages. Private to src/sources.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace fostat {

// "10 s", "200 ms": how messages give a timeout.
std::string duration_text(std::chrono::milliseconds d);

// Text from a server or a library made fit for a one-line message: control bytes become
// spaces, runs of spaces one, and it is cut at `max` bytes.
std::string one_line(std::string_view text, std::size_t max = 200);

// The request Kea expects: {"command": C, "service": ["dhcp4"], "arguments": A}, the service
// only for kea-ctrl-agent (the agent answers a command without one itself).
std::string request_text(const std::string& command, const std::string& arguments, bool for_agent);

}  // namespace fostat
