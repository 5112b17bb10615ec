// What the kea source's two transports share (kea_transport.h); each transport is in its own
// file: the unix control socket in kea_socket.cpp, kea-ctrl-agent's HTTP(S) in kea_http.cpp.
#include "kea_transport.h"

#include <nlohmann/json.hpp>

namespace fostat {

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
