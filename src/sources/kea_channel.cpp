// What the kea source's two transports share (kea_transport.h); each transport is in its own
// file: the unix control socket in kea_socket.cpp, kea-ctrl-agent's HTTP(S) in kea_http.cpp.
#include "kea_transport.h"

#include <nlohmann/json.hpp>

namespace fostat {

std::string request_text(const std::string& command, const std::string& arguments, bool for_agent) {
    std::string text =
        "{\"command\": " +
        nlohmann::json(command).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (for_agent)
        text += ", \"service\": [\"dhcp4\"]";
    if (!arguments.empty())
        text += ", \"arguments\": " + arguments;
    return text + "}";
}

}  // namespace fostat
