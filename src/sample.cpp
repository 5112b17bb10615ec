#include <algorithm>
#include <cctype>
#include <utility>

#include "fostat/sample.h"

namespace fostat {
namespace {

constexpr std::array<std::string_view, 10> kStateNames = {
    "normal",       "communication-interrupted",
    "partner-down", "recover",
    "startup",      "conflict",
    "maintenance",  "paused",
    "shutdown",     "unknown",
};

// Every source's own word for a state, lower-cased, with its normal form (DESIGN §2).
constexpr std::pair<std::string_view, State> kStateWords[] = {
    // Windows FSM_STATE
    {"init", State::startup},
    {"communication_interrupted", State::communication_interrupted},
    {"communicationinterrupted", State::communication_interrupted},
    {"partner_down", State::partner_down},
    {"partnerdown", State::partner_down},
    {"potential_conflict", State::conflict},
    {"conflict_done", State::conflict},
    {"resolution_interrupted", State::conflict},
    {"recover_wait", State::recover},
    {"recover_done", State::recover},
    {"recoverwait", State::recover},
    {"recoverdone", State::recover},
    {"no_state", State::unknown},
    // ISC dhcpd
    {"potential-conflict", State::conflict},
    {"conflict-done", State::conflict},
    {"resolution-interrupted", State::conflict},
    {"recover-wait", State::recover},
    {"recover-done", State::recover},
    {"unknown-state", State::unknown},
    // Kea HA
    {"load-balancing", State::normal},
    {"hot-standby", State::normal},
    {"passive-backup", State::normal},
    {"waiting", State::startup},
    {"syncing", State::startup},
    {"ready", State::startup},
    {"terminated", State::shutdown},
    {"in-maintenance", State::maintenance},
    {"partner-in-maintenance", State::maintenance},
    {"backup", State::normal},
    {"communication-recovery", State::communication_interrupted},
};

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::string_view to_string(Mode mode) {
    return mode == Mode::load_balance ? "load-balance" : "hot-standby";
}

std::string_view to_string(State state) {
    return kStateNames[static_cast<int>(state)];
}

std::optional<Mode> parse_mode(std::string_view text) {
    if (text == "load-balance")
        return Mode::load_balance;
    if (text == "hot-standby")
        return Mode::hot_standby;
    return std::nullopt;
}

std::optional<State> normalise_state(std::string_view source_word) {
    const std::string word = lower(source_word);
    for (std::size_t i = 0; i < kStateNames.size(); ++i) {
        if (word == kStateNames[i])
            return static_cast<State>(i);
    }
    for (const auto& [name, state] : kStateWords) {
        if (word == name)
            return state;
    }
    return std::nullopt;
}

}  // namespace fostat
