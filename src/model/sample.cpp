#include <algorithm>
#include <utility>

#include "fostat/sample.h"
#include "fostat/text.h"

namespace fostat {
namespace {

constexpr std::array<std::string_view, 10> kStateNames = {
    "normal",       "communication-interrupted",
    "partner-down", "recover",
    "startup",      "conflict",
    "maintenance",  "paused",
    "shutdown",     "unknown",
};

// Every source's own word for a state, with its normal form (docs/design.md § States), written as
// word_key() (src/text.h) makes it: lower case without '-', '_' or spaces, so that Windows'
// COMMUNICATION_INT, PowerShell's CommunicationInterrupted and dhcpd's
// communications-interrupted all meet.
constexpr std::pair<std::string_view, State> kStateWords[] = {
    // Windows FSM_STATE and PowerShell's State property
    {"init", State::startup},
    {"communicationint", State::communication_interrupted},
    {"resolutionint", State::conflict},
    {"potentialconflict", State::conflict},
    {"conflictdone", State::conflict},
    {"resolutioninterrupted", State::conflict},
    {"recoverwait", State::recover},
    {"recoverdone", State::recover},
    {"nostate", State::unknown},
    // ISC dhcpd (dhcpd.leases and its log)
    {"communicationsinterrupted", State::communication_interrupted},
    {"unknownstate", State::unknown},
    // Kea HA
    {"loadbalancing", State::normal},
    {"hotstandby", State::normal},
    {"passivebackup", State::normal},
    {"backup", State::normal},
    {"communicationrecovery", State::communication_interrupted},
    {"waiting", State::startup},
    {"syncing", State::startup},
    {"ready", State::startup},
    {"terminated", State::shutdown},
    {"inmaintenance", State::maintenance},
    {"partnerinmaintenance", State::maintenance},
};

}  // namespace

std::optional<double> utilization_percent(const Counters& c) {
    const auto& in_use = c[Counter::addr_in_use];
    const auto& total = c[Counter::num_addr];
    if (!in_use || !total || *total == 0)
        return std::nullopt;
    return 100.0 * static_cast<double>(*in_use) / static_cast<double>(*total);
}

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
    const std::string word = word_key(source_word);
    for (std::size_t i = 0; i < kStateNames.size(); ++i) {
        if (word == word_key(kStateNames[i]))
            return static_cast<State>(i);
    }
    for (const auto& [name, state] : kStateWords) {
        if (word == name)
            return state;
    }
    return std::nullopt;
}

}  // namespace fostat
