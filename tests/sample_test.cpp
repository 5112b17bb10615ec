#include "fostat/sample.h"

#include <gtest/gtest.h>

namespace fostat {
namespace {

TEST(Sample, EverySourcesStateWordIsNormalised) {
    const struct {
        const char* word;
        State expected;
    } cases[] = {
        // canonical
        {"normal", State::normal},
        {"communication-interrupted", State::communication_interrupted},
        {"partner-down", State::partner_down},
        {"unknown", State::unknown},
        // Windows FSM_STATE and PowerShell
        {"NORMAL", State::normal},
        {"INIT", State::startup},
        {"COMMUNICATION_INT", State::communication_interrupted},
        {"CommunicationInterrupted", State::communication_interrupted},
        {"PARTNER_DOWN", State::partner_down},
        {"PartnerDown", State::partner_down},
        {"POTENTIAL_CONFLICT", State::conflict},
        {"CONFLICT_DONE", State::conflict},
        {"RESOLUTION_INT", State::conflict},
        {"RECOVER", State::recover},
        {"RECOVER_WAIT", State::recover},
        {"RecoverDone", State::recover},
        {"PAUSED", State::paused},
        {"SHUTDOWN", State::shutdown},
        {"NO_STATE", State::unknown},
        // ISC dhcpd
        {"communications-interrupted", State::communication_interrupted},
        {"potential-conflict", State::conflict},
        {"resolution-interrupted", State::conflict},
        {"recover-wait", State::recover},
        {"unknown-state", State::unknown},
        {"startup", State::startup},
        // Kea HA
        {"load-balancing", State::normal},
        {"hot-standby", State::normal},
        {"passive-backup", State::normal},
        {"communication-recovery", State::communication_interrupted},
        {"waiting", State::startup},
        {"syncing", State::startup},
        {"ready", State::startup},
        {"terminated", State::shutdown},
        {"in-maintenance", State::maintenance},
        {"partner-in-maintenance", State::maintenance},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(normalise_state(c.word), c.expected) << c.word;
    }
    for (const char* bad : {"", "happy", "normal!", "down"}) {
        EXPECT_FALSE(normalise_state(bad).has_value()) << bad;
    }
}

TEST(Sample, ModesAndStatesPrintTheirCanonicalWords) {
    EXPECT_EQ(to_string(Mode::load_balance), "load-balance");
    EXPECT_EQ(parse_mode("hot-standby"), Mode::hot_standby);
    EXPECT_FALSE(parse_mode("Load-Balance").has_value());
    for (int i = 0; i <= static_cast<int>(State::unknown); ++i) {
        const auto state = static_cast<State>(i);
        EXPECT_EQ(normalise_state(to_string(state)), state);
    }
}

}  // namespace
}  // namespace fostat
