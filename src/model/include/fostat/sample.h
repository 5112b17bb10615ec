// The record fostat stores: one server's view of one failover scope at one instant.
// Plain data; depends on nothing else of ours.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fostat {

// The seven fields of the Windows DHCP_FAILOVER_STATISTICS structure, in its order.
enum class Counter : std::uint8_t {
    num_addr,
    addr_free,
    addr_in_use,
    partner_addr_free,
    this_addr_free,
    partner_addr_in_use,
    this_addr_in_use,
};
inline constexpr std::size_t kCounterCount = 7;
inline constexpr std::array<std::string_view, kCounterCount> kCounterNames = {
    "num_addr",       "addr_free",           "addr_in_use",      "partner_addr_free",
    "this_addr_free", "partner_addr_in_use", "this_addr_in_use",
};
// Counters are unsigned 32-bit on the wire; anything above this did not come from a source.
inline constexpr std::uint64_t kMaxCounter = 0xFFFFFFFFull;

// A counter a source cannot know is nullopt, never a guess and never 0.
struct Counters {
    std::array<std::optional<std::uint64_t>, kCounterCount> values{};

    std::optional<std::uint64_t>& operator[](Counter c) { return values[static_cast<int>(c)]; }
    const std::optional<std::uint64_t>& operator[](Counter c) const {
        return values[static_cast<int>(c)];
    }
    bool operator==(const Counters&) const = default;
};

// addr_in_use / num_addr in percent; nullopt when either is unknown or num_addr is 0.
std::optional<double> utilization_percent(const Counters& counters);

enum class Mode : std::uint8_t { load_balance, hot_standby };

// One vocabulary for the failover state, whatever the source called it (docs/design.md § States).
enum class State : std::uint8_t {
    normal,
    communication_interrupted,
    partner_down,
    recover,
    startup,
    conflict,
    maintenance,
    paused,
    shutdown,
    unknown,
};

std::string_view to_string(Mode mode);
std::string_view to_string(State state);
// Accepts the canonical words only ("load-balance", "hot-standby").
std::optional<Mode> parse_mode(std::string_view text);
// Accepts the canonical words and every source's own word (Windows, ISC, Kea), any case.
std::optional<State> normalise_state(std::string_view source_word);

// The failover relationship as the server saw it when the sample was taken.
struct Relationship {
    std::string name;  // empty when the source does not name it
    Mode mode = Mode::load_balance;
    std::string role;              // primary, secondary, active, standby; empty if unknown
    double expected_share = 50.0;  // percent of the free addresses this server should hold
    State state = State::unknown;
    std::string source_state;  // the source's own word for the state; empty if canonical

    bool operator==(const Relationship&) const = default;
};

// The addresses of a scope in one lease state, as the source names it (ISC's binding states:
// "free", "backup", "active", ...).
struct LeaseStateCount {
    std::string state;
    std::uint64_t addresses = 0;

    bool operator==(const LeaseStateCount&) const = default;
};

struct Sample {
    std::int64_t timestamp = 0;  // UTC, Unix seconds
    std::string server;
    std::string scope;  // "10.1.2.0/24" or a Windows ScopeId "10.1.2.0"
    Relationship relationship;
    Counters counters;
    // Every address of the scope by lease state, for a source that knows them (isc); empty
    // otherwise. Stored beside the sample, not part of its identity or of the CSV.
    std::vector<LeaseStateCount> lease_states;

    bool operator==(const Sample&) const = default;
};

}  // namespace fostat
