#include "sources/windows.h"

#include <gtest/gtest.h>

#include <map>

#include "fostat/error.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

constexpr std::uint32_t kSubnetNotPresent = 20005;
constexpr std::uint32_t kServerUnavailable = 1722;

// Serves canned relationships `per_page` at a time, the resume handle being the index of the
// next one, and canned statistics by scope; can be told to fail.
class FakeApi : public DhcpFailoverApi {
  public:
    std::uint32_t enumerate_relationships(std::uint32_t& resume_handle,
                                          std::vector<WindowsRelationship>& page) override {
        calls.push_back("enum " + std::to_string(resume_handle));
        page.clear();
        if (enum_error)
            return enum_error;
        if (resume_handle >= relationships.size())
            return kWinNoMoreItems;
        while (resume_handle < relationships.size() && page.size() < per_page)
            page.push_back(relationships[resume_handle++]);
        if (resume_handle < relationships.size())
            return kWinMoreData;
        return last_page_success ? kWinSuccess : kWinMoreData;
    }
    std::uint32_t scope_statistics(std::uint32_t scope_id, WindowsScopeStatistics& s) override {
        calls.push_back("stats " + std::to_string(scope_id));
        if (const auto e = scope_errors.find(scope_id); e != scope_errors.end())
            return e->second;
        const auto it = stats.find(scope_id);
        if (it == stats.end())
            return kSubnetNotPresent;
        s = it->second;
        return kWinSuccess;
    }
    std::string system_message(std::uint32_t code) const override {
        return code == 4242 ? "The system says no" : "";
    }
    std::string where() const override { return "DHCP server dhcp1"; }

    std::vector<WindowsRelationship> relationships;
    std::map<std::uint32_t, WindowsScopeStatistics> stats;
    std::map<std::uint32_t, std::uint32_t> scope_errors;
    std::size_t per_page = 2;
    bool last_page_success = true;  // false: the last page says ERROR_MORE_DATA, then 259
    std::uint32_t enum_error = 0;
    std::vector<std::string> calls;
};

WindowsRelationship relationship(std::string name, std::uint32_t mode, std::uint32_t type,
                                 std::uint32_t percentage, std::vector<std::uint32_t> scopes,
                                 std::uint32_t state = 3) {
    WindowsRelationship r;
    r.name = std::move(name);
    r.primary_server = "dhcp1.example.org";
    r.secondary_server = "dhcp2.example.org";
    r.mode = mode;
    r.server_type = type;
    r.state = state;
    r.percentage = percentage;
    r.scopes = std::move(scopes);
    return r;
}

WindowsScopeStatistics statistics(std::uint32_t total, std::uint32_t this_free,
                                  std::uint32_t partner_free, std::uint32_t this_used,
                                  std::uint32_t partner_used) {
    return {total,
            this_free + partner_free,
            this_used + partner_used,
            partner_free,
            this_free,
            partner_used,
            this_used};
}

// Six relationships, two a page, eight scopes.
FakeApi six_relationships() {
    FakeApi api;
    api.relationships = {
        relationship("lb-70", kWinLoadBalance, kWinPrimaryServer, 70,
                     {ip(10, 1, 2, 0), ip(10, 1, 3, 0)}),
        relationship("lb-secondary", kWinLoadBalance, kWinSecondaryServer, 70, {ip(10, 2, 0, 0)}),
        relationship("hs-active", kWinHotStandby, kWinPrimaryServer, 5, {ip(10, 3, 0, 0)}, 5),
        relationship("hs-standby", kWinHotStandby, kWinSecondaryServer, 5,
                     {ip(10, 4, 0, 0), ip(10, 4, 1, 0)}, 4),
        relationship("empty", kWinLoadBalance, kWinPrimaryServer, 50, {}),
        relationship("last", kWinLoadBalance, kWinPrimaryServer, 50,
                     {ip(192, 168, 0, 0), ip(172, 16, 0, 0)}, 9),
    };
    for (const auto& r : api.relationships) {
        for (std::uint32_t s : r.scopes)
            api.stats[s] = statistics(254, 60, 60, 64, 70);
    }
    return api;
}

constexpr std::size_t kScopesOfSix = 8;  // of six_relationships()

struct Collected {
    WindowsCounts counts;
    std::vector<Sample> samples;
};

Collected collect(FakeApi& api) {
    test::VectorSink sink;
    WindowsOptions options;
    options.server = "dhcp1";
    options.at = 1'795'507'200;  // 2026-11-24T08:00:00Z
    Collected c;
    c.counts = collect_windows(api, options, sink);
    c.samples = sink.samples;
    return c;
}

const Sample& find(const std::vector<Sample>& samples, const std::string& scope) {
    for (const Sample& s : samples) {
        if (s.scope == scope)
            return s;
    }
    ADD_FAILURE() << "no sample for " << scope;
    static const Sample none;
    return none;
}

std::string error_of(FakeApi& api) {
    test::VectorSink sink;
    WindowsOptions options;
    options.server = "dhcp1";
    try {
        collect_windows(api, options, sink);
    } catch (const SourceError& e) {
        EXPECT_TRUE(sink.samples.empty()) << "a failed run added samples";
        return e.what();
    }
    ADD_FAILURE() << "no SourceError";
    return {};
}

TEST(Windows, EveryPageEveryScopeOneSampleEach) {
    FakeApi api = six_relationships();
    const Collected c = collect(api);
    EXPECT_EQ(c.counts.relationships, 6u);
    EXPECT_EQ(c.counts.scopes, 8u);
    EXPECT_EQ(c.counts.pages, 3u);  // 2 + 2 + 2, the last one ERROR_SUCCESS
    ASSERT_EQ(c.samples.size(), 8u);
    EXPECT_EQ(api.calls[0], "enum 0");
    EXPECT_EQ(api.calls[1], "enum 2");
    EXPECT_EQ(api.calls[2], "enum 4");
    EXPECT_EQ(api.calls.size(), 3u + 8u);
    const Sample& s = find(c.samples, "10.1.2.0");
    EXPECT_EQ(s.server, "dhcp1");
    EXPECT_EQ(s.timestamp, 1'795'507'200);
    EXPECT_EQ(s.relationship.name, "lb-70");
    EXPECT_EQ(s.counters[Counter::num_addr], 254u);
    EXPECT_EQ(s.counters[Counter::addr_free], 120u);
    EXPECT_EQ(s.counters[Counter::addr_in_use], 134u);
    EXPECT_EQ(s.counters[Counter::partner_addr_free], 60u);
    EXPECT_EQ(s.counters[Counter::this_addr_free], 60u);
    EXPECT_EQ(s.counters[Counter::partner_addr_in_use], 70u);
    EXPECT_EQ(s.counters[Counter::this_addr_in_use], 64u);
    EXPECT_EQ(find(c.samples, "192.168.0.0").relationship.name, "last");
    EXPECT_EQ(find(c.samples, "172.16.0.0").relationship.name, "last");
}

TEST(Windows, PagesEndingWithNoMoreItems) {
    FakeApi api = six_relationships();
    api.last_page_success = false;
    api.per_page = 4;
    const Collected c = collect(api);
    EXPECT_EQ(c.counts.pages, 3u);  // 4, 2 (ERROR_MORE_DATA), then ERROR_NO_MORE_ITEMS
    EXPECT_EQ(c.samples.size(), 8u);
}

TEST(Windows, NoRelationshipAtAll) {
    FakeApi api;
    const Collected c = collect(api);
    EXPECT_EQ(c.counts.pages, 1u);
    EXPECT_EQ(c.counts.relationships, 0u);
    EXPECT_TRUE(c.samples.empty());
}

TEST(Windows, LoadBalanceShareIsThePrimarysPercentage) {
    FakeApi api = six_relationships();
    const Collected c = collect(api);
    const Relationship& primary = find(c.samples, "10.1.3.0").relationship;
    EXPECT_EQ(primary.mode, Mode::load_balance);
    EXPECT_EQ(primary.role, "primary");
    EXPECT_EQ(primary.expected_share, 70);
    const Relationship& secondary = find(c.samples, "10.2.0.0").relationship;
    EXPECT_EQ(secondary.mode, Mode::load_balance);
    EXPECT_EQ(secondary.role, "secondary");
    EXPECT_EQ(secondary.expected_share, 30);
}

TEST(Windows, HotStandbyPercentageIsTheStandbysReserve) {
    FakeApi api = six_relationships();
    const Collected c = collect(api);
    const Relationship& active = find(c.samples, "10.3.0.0").relationship;
    EXPECT_EQ(active.mode, Mode::hot_standby);
    EXPECT_EQ(active.role, "active");
    EXPECT_EQ(active.expected_share, 95);
    const Relationship& standby = find(c.samples, "10.4.1.0").relationship;
    EXPECT_EQ(standby.mode, Mode::hot_standby);
    EXPECT_EQ(standby.role, "standby");
    EXPECT_EQ(standby.expected_share, 5);
}

TEST(Windows, EveryStateWordNormalisedAndKept) {
    const std::pair<std::string, State> expected[] = {
        {"NO_STATE", State::unknown},
        {"INIT", State::startup},
        {"STARTUP", State::startup},
        {"NORMAL", State::normal},
        {"COMMUNICATION_INT", State::communication_interrupted},
        {"PARTNER_DOWN", State::partner_down},
        {"POTENTIAL_CONFLICT", State::conflict},
        {"CONFLICT_DONE", State::conflict},
        {"RESOLUTION_INT", State::conflict},
        {"RECOVER", State::recover},
        {"RECOVER_WAIT", State::recover},
        {"RECOVER_DONE", State::recover},
        {"PAUSED", State::paused},
        {"SHUTDOWN", State::shutdown},
    };
    FakeApi api;
    for (std::uint32_t i = 0; i < std::size(expected) + 1; ++i) {
        api.relationships.push_back(relationship("r" + std::to_string(i), kWinLoadBalance,
                                                 kWinPrimaryServer, 50, {ip(10, 9, i, 0)}, i));
        api.stats[ip(10, 9, i, 0)] = statistics(10, 5, 5, 0, 0);
    }
    const Collected c = collect(api);
    for (std::uint32_t i = 0; i < std::size(expected); ++i) {
        const Relationship& r = find(c.samples, "10.9." + std::to_string(i) + ".0").relationship;
        EXPECT_EQ(fsm_state_name(i), expected[i].first);
        EXPECT_EQ(r.source_state, expected[i].first);
        EXPECT_EQ(r.state, expected[i].second) << expected[i].first;
    }
    const Relationship& beyond = find(c.samples, "10.9.14.0").relationship;
    EXPECT_EQ(beyond.state, State::unknown);
    EXPECT_EQ(beyond.source_state, "FSM_STATE 14");
}

TEST(Windows, WrappedCounterStaysVisible) {
    FakeApi api = six_relationships();
    api.stats[ip(10, 2, 0, 0)].partner_addr_in_use = 4294967295u;
    const Collected c = collect(api);
    EXPECT_EQ(find(c.samples, "10.2.0.0").counters[Counter::partner_addr_in_use], 4294967295u);
}

// One scope's failure costs only that scope its sample; the others are stored, and the
// failure is named (docs/sources/windows.md "Errors"). Only when every scope fails does the
// run fail.
TEST(Windows, AFailingScopeIsLeftOutAndNamedTheOthersStored) {
    FakeApi api = six_relationships();
    api.scope_errors[ip(10, 4, 0, 0)] = kSubnetNotPresent;
    const Collected c = collect(api);
    EXPECT_EQ(c.samples.size(), kScopesOfSix - 1);
    for (const Sample& s : c.samples)
        EXPECT_NE(s.scope, "10.4.0.0");
    ASSERT_EQ(c.counts.failed_scopes.size(), 1u);
    EXPECT_EQ(c.counts.failed_scopes[0],
              "DHCP server dhcp1: DhcpV4FailoverGetScopeStatistics for scope 10.4.0.0 of "
              "relationship 'hs-standby': ERROR_DHCP_SUBNET_NOT_PRESENT (20005): the specified "
              "subnet does not exist on the DHCP server");

    FakeApi broken = six_relationships();
    for (const WindowsRelationship& r : broken.relationships)
        for (const std::uint32_t scope : r.scopes)
            broken.scope_errors[scope] = kSubnetNotPresent;
    EXPECT_EQ(error_of(broken),
              "DHCP server dhcp1: DhcpV4FailoverGetScopeStatistics for scope 10.1.2.0 of "
              "relationship 'lb-70': ERROR_DHCP_SUBNET_NOT_PRESENT (20005): the specified subnet "
              "does not exist on the DHCP server (and the " +
                  std::to_string(kScopesOfSix - 1) + " other scopes failed too)");
}

TEST(Windows, FailingEnumerationNamesTheCallAndError) {
    FakeApi api = six_relationships();
    api.enum_error = kServerUnavailable;
    const std::string e = error_of(api);
    EXPECT_NE(e.find("DHCP server dhcp1: DhcpV4FailoverEnumRelationship (call 1): "
                     "RPC_S_SERVER_UNAVAILABLE (1722): the RPC server is unavailable"),
              std::string::npos)
        << e;
}

TEST(Windows, UnknownCodeUsesTheSystemsMessage) {
    FakeApi api = six_relationships();
    api.scope_errors[ip(10, 1, 2, 0)] = 4242;
    const Collected c = collect(api);
    ASSERT_EQ(c.counts.failed_scopes.size(), 1u);
    EXPECT_NE(c.counts.failed_scopes[0].find(
                  "scope 10.1.2.0 of relationship 'lb-70': error 4242 (0x1092): "
                  "The system says no"),
              std::string::npos);
    EXPECT_EQ(describe_windows_status(20116),
              "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP (20116): the scope is not part of a "
              "failover relationship");
    EXPECT_EQ(describe_windows_status(20117, "from the system"),
              "ERROR_DHCP_FO_RELATION_IS_SECONDARY (20117): from the system");
    EXPECT_EQ(describe_windows_status(7), "error 7 (0x7)");
}

TEST(Windows, BadRelationshipsAreRefused) {
    {
        FakeApi api = six_relationships();
        api.relationships[1].mode = 2;
        EXPECT_NE(error_of(api).find("relationship 'lb-secondary' has failover mode 2"),
                  std::string::npos);
    }
    {
        FakeApi api = six_relationships();
        api.relationships[2].server_type = 7;
        EXPECT_NE(error_of(api).find("relationship 'hs-active' has server type 7"),
                  std::string::npos);
    }
    {
        FakeApi api = six_relationships();
        api.relationships[0].percentage = 101;
        EXPECT_NE(error_of(api).find("relationship 'lb-70' has percentage 101, over 100"),
                  std::string::npos);
    }
    {
        FakeApi api = six_relationships();
        api.relationships[5].scopes.push_back(ip(10, 2, 0, 0));
        EXPECT_NE(error_of(api).find("scope 10.2.0.0 is listed by relationship 'lb-secondary' "
                                     "and by relationship 'last'"),
                  std::string::npos);
    }
}

// A server that keeps saying ERROR_MORE_DATA without returning anything must not keep the
// collector asking forever.
TEST(Windows, MoreDataWithoutDataIsAnError) {
    class Stuck : public FakeApi {
      public:
        std::uint32_t enumerate_relationships(std::uint32_t&,
                                              std::vector<WindowsRelationship>& page) override {
            page.clear();
            return kWinMoreData;
        }
    } api;
    EXPECT_NE(error_of(api).find("said ERROR_MORE_DATA but returned no relationship"),
              std::string::npos);
}

TEST(Windows, OutsideWindowsTheSourceSaysWhatToDo) {
#ifndef _WIN32
    try {
        open_dhcpsapi("dhcp1");
        ADD_FAILURE() << "no SourceError";
    } catch (const SourceError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("docs/building-on-windows.md"), std::string::npos) << what;
        EXPECT_NE(what.find("import the PowerShell exports"), std::string::npos) << what;
    }
#endif
}

}  // namespace
}  // namespace fostat
