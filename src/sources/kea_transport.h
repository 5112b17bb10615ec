// What the kea source's two transports (kea_socket.cpp, kea_http.cpp) share: the request's
// text and the words of their messages. Private to src/sources.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "net/http.h"  // duration_text, one_line

namespace fostat {

// The request Kea expects: {"command": C, "service": ["dhcp4"], "arguments": A}, the service
// only for kea-ctrl-agent (the agent answers a command without one itself).
std::string request_text(const std::string& command, const std::string& arguments, bool for_agent);

}  // namespace fostat
