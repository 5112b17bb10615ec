#include "sources/kea.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fostat/error.h"
#include "test_support.h"

namespace fostat {
namespace {

const std::string kLab = std::string(FOSTAT_SOURCE_DIR) + "/tests/data/kea-lab/";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Answers from the captured replies of one server: DIR/PREFIX.<command>.json, and lease
// pages in order from DIR/PREFIX.lease4-get-page.<n>.json. DIR is under tests/data/kea-lab
// unless absolute. A command without a reply under PREFIX is answered from FALLBACK's (a
// partner-down capture holds only what changed: its server's config-get stays).
class CapturedKea : public KeaChannel {
  public:
    CapturedKea(std::string dir, std::string prefix, std::string fallback = "")
        : dir_((dir.starts_with('/') ? "" : kLab) + std::move(dir) + "/"),
          prefix_(std::move(prefix)),
          fallback_(std::move(fallback)) {}

    std::string command(const std::string& command, const std::string& arguments) override {
        sent.push_back(command + " " + arguments);
        if (override_)
            if (auto reply = override_(command, arguments))
                return *reply;
        if (command == "lease4-get-page") {
            page_ = arguments.find("\"start\"") != std::string::npos ? 1 : page_ + 1;
            return read_file(dir_ + prefix_ + ".lease4-get-page." + std::to_string(page_) +
                             ".json");
        }
        const std::string own = dir_ + prefix_ + "." + command + ".json";
        if (fallback_.empty() || std::filesystem::exists(own))
            return read_file(own);
        return read_file(dir_ + fallback_ + "." + command + ".json");
    }
    std::string where() const override { return "unix socket /lab/" + prefix_; }

    // Replaces the reply to some commands: nullopt keeps the captured one.
    std::function<std::optional<std::string>(const std::string&, const std::string&)> override_;
    std::vector<std::string> sent;

  private:
    std::string dir_, prefix_, fallback_;
    int page_ = 0;
};

struct Collected {
    KeaCounts counts;
    std::vector<Sample> samples;
};

Collected collect(CapturedKea& kea, std::size_t page_size = 100) {
    test::VectorSink sink;
    KeaOptions options;
    options.at = 1'795'578'900;
    options.page_size = page_size;
    Collected out{collect_kea(kea, options, sink), {}};
    out.samples = sink.samples;
    return out;
}

using Values = std::array<std::optional<std::uint64_t>, 7>;
constexpr std::optional<std::uint64_t> kNull;

TEST(Kea, LoadBalancingPoolsOfEachServersClassGiveTheSplit) {
    CapturedKea server1("load-balancing", "server1");
    const Collected c = collect(server1);
    ASSERT_EQ(c.samples.size(), 3u);
    EXPECT_EQ(c.counts.leases, 292u);
    const Sample& one = c.samples[0];
    EXPECT_EQ(one.server, "server1");
    EXPECT_EQ(one.scope, "198.18.1.0/24");
    EXPECT_EQ(one.relationship.name, "server1-server2");
    EXPECT_EQ(one.relationship.mode, Mode::load_balance);
    EXPECT_EQ(one.relationship.role, "primary");
    EXPECT_EQ(one.relationship.state, State::normal);
    EXPECT_EQ(one.relationship.source_state, "load-balancing");
    EXPECT_EQ(one.relationship.expected_share, 50);
    // stat-lease4-get: 240 addresses, 200 assigned, 1 declined. Pools of 120: HA_server1's
    // has 96 leases, HA_server2's 104 and the declined one.
    EXPECT_EQ(one.counters.values, (Values{240, 39, 201, 15, 24, 105, 96}));
    EXPECT_EQ(c.samples[1].counters.values, (Values{80, 30, 50, 9, 21, 31, 19}));
    // 198.18.5.0/24's one pool has no HA class: both serve it, the split is unknown.
    EXPECT_EQ(c.samples[2].counters.values, (Values{50, 9, 41, kNull, kNull, kNull, kNull}));
    ASSERT_EQ(c.counts.warnings.size(), 1u);
    EXPECT_NE(c.counts.warnings[0].find("subnet 198.18.5.0/24: the free and in-use split"),
              std::string::npos);
    // The pages followed one another from the last address; the statistics were asked
    // again after them.
    EXPECT_EQ(server1.sent[0], "version-get ");
    EXPECT_EQ(server1.sent[4], "lease4-get-page {\"from\": \"start\", \"limit\": 100}");
    EXPECT_EQ(server1.sent[5], "lease4-get-page {\"from\": \"198.18.1.133\", \"limit\": 100}");
    EXPECT_EQ(server1.sent.back(), "stat-lease4-get ");
}

TEST(Kea, BothPeersOfALoadBalancingPairMirrorEachOther) {
    CapturedKea server1("load-balancing", "server1");
    CapturedKea server2("load-balancing", "server2");
    const Collected a = collect(server1);
    const Collected b = collect(server2);
    ASSERT_EQ(b.samples.size(), 3u);
    EXPECT_EQ(b.samples[0].relationship.role, "secondary");
    EXPECT_EQ(b.samples[0].relationship.name, "server1-server2");
    for (std::size_t i = 0; i < 2; ++i) {
        const Counters& x = a.samples[i].counters;
        const Counters& y = b.samples[i].counters;
        EXPECT_EQ(x[Counter::this_addr_free], y[Counter::partner_addr_free]) << i;
        EXPECT_EQ(x[Counter::partner_addr_free], y[Counter::this_addr_free]) << i;
        EXPECT_EQ(x[Counter::this_addr_in_use], y[Counter::partner_addr_in_use]) << i;
        EXPECT_EQ(x[Counter::num_addr], y[Counter::num_addr]) << i;
    }
}

TEST(Kea, AnExactLastPageEndsWithResultThree) {
    CapturedKea server1("load-balancing", "server1");
    // Asked for pages of 92, the captured pages hold 100, 100 and 92 leases: the third is
    // full, so a fourth is asked for, and its reply (result 3, no leases) ends the reading.
    const Collected c = collect(server1, 92);
    EXPECT_EQ(c.counts.leases, 292u);
    EXPECT_EQ(c.samples[0].counters[Counter::this_addr_in_use], 96u);
}

TEST(Kea, HotStandbyActiveOwnsEveryFreeAddressAndTheStandbyWhatItServed) {
    CapturedKea server1("hot-standby", "server1");
    CapturedKea server2("hot-standby", "server2");
    const Collected a = collect(server1);
    const Collected b = collect(server2);
    ASSERT_EQ(a.samples.size(), 3u);
    EXPECT_EQ(a.samples[0].relationship.mode, Mode::hot_standby);
    EXPECT_EQ(a.samples[0].relationship.role, "active");
    EXPECT_EQ(a.samples[0].relationship.expected_share, 100);
    EXPECT_EQ(a.samples[0].relationship.state, State::normal);
    EXPECT_EQ(a.samples[0].relationship.source_state, "hot-standby");
    EXPECT_EQ(a.samples[0].counters.values, (Values{240, 39, 201, 0, 39, 0, 201}));
    EXPECT_EQ(b.samples[0].relationship.role, "standby");
    EXPECT_EQ(b.samples[0].relationship.expected_share, 0);
    // The standby allocated nothing since it started (cumulative-assigned-addresses 0).
    EXPECT_EQ(b.samples[0].counters.values, (Values{240, 39, 201, 39, 0, 201, 0}));
    EXPECT_TRUE(a.counts.warnings.empty());
    // Hot-standby needs no lease pages.
    for (const std::string& sent : server1.sent)
        EXPECT_EQ(sent.find("lease4-get-page"), std::string::npos);
}

TEST(Kea, TheSurvivorOfAStoppedPartnerRecordsPartnerDown) {
    CapturedKea survivor("hot-standby", "server1");
    survivor.override_ = [](const std::string& command,
                            const std::string&) -> std::optional<std::string> {
        if (command == "status-get" || command == "stat-lease4-get")
            return read_file(kLab + "hot-standby/partner-down.server1." + command + ".json");
        return std::nullopt;
    };
    const Collected c = collect(survivor);
    ASSERT_FALSE(c.samples.empty());
    EXPECT_EQ(c.samples[0].relationship.state, State::partner_down);
    EXPECT_EQ(c.samples[0].relationship.source_state, "");
}

TEST(Kea, StatisticsThatMoveWhileLeasesAreReadAreCountedAgain) {
    CapturedKea server1("load-balancing", "server1");
    const std::string real = read_file(kLab + "load-balancing/server1.stat-lease4-get.json");
    std::string moved = real;
    moved.replace(moved.find("[ 1, 240, 96, 200, 1 ]"), 22, "[ 1, 240, 97, 201, 1 ]");
    int asked = 0;
    server1.override_ = [&](const std::string& command,
                            const std::string&) -> std::optional<std::string> {
        if (command != "stat-lease4-get")
            return std::nullopt;
        return ++asked == 1 ? moved : real;  // moved, then settled: counted twice
    };
    const Collected c = collect(server1);
    EXPECT_EQ(asked, 4);
    EXPECT_EQ(c.counts.leases, 2 * 292u);
    EXPECT_EQ(c.samples[0].counters[Counter::this_addr_in_use], 96u);

    // Statistics that never settle: the subnets that kept moving get no split.
    CapturedKea busy("load-balancing", "server1");
    asked = 0;
    busy.override_ = [&](const std::string& command,
                         const std::string&) -> std::optional<std::string> {
        if (command != "stat-lease4-get")
            return std::nullopt;
        return ++asked % 2 ? moved : real;
    };
    const Collected d = collect(busy);
    EXPECT_EQ(asked, 6);
    EXPECT_FALSE(d.samples[0].counters[Counter::this_addr_in_use].has_value());
    EXPECT_EQ(d.samples[0].counters[Counter::addr_in_use], 201u);  // the last statistics
    EXPECT_EQ(d.samples[1].counters[Counter::this_addr_in_use], 19u);
}

const std::string kVersions = std::string(FOSTAT_SOURCE_DIR) + "/tests/data/kea-versions/";

TEST(KeaJson, VersionGetOfEveryVersionGivesItsRelease) {
    const KeaReplyContext context{"unix socket /lab/k", "version-get"};
    EXPECT_EQ(parse_version_get(read_file(kVersions + "version-get.2.2.0.json"), context),
              (KeaVersion{2, 2, 0}));
    EXPECT_EQ(parse_version_get(read_file(kVersions + "version-get.2.6.5.json"), context),
              (KeaVersion{2, 6, 5}));
    const KeaVersion v32 =
        parse_version_get(read_file(kVersions + "version-get.3.2.0.json"), context);
    EXPECT_EQ(v32, (KeaVersion{3, 2, 0}));
    EXPECT_FALSE(assigned_includes_declined({2, 6, 5}));
    EXPECT_FALSE(assigned_includes_declined({3, 0, 4}));
    EXPECT_FALSE(assigned_includes_declined({3, 1, 1}));
    EXPECT_TRUE(assigned_includes_declined({3, 1, 2}));
    EXPECT_TRUE(assigned_includes_declined(v32));
    EXPECT_THROW(parse_version_get(R"({ "result": 0, "text": "2.-1.0" })", context), SourceError);
    EXPECT_THROW(parse_version_get(R"({ "result": 0, "text": "3.2" })", context), SourceError);
    try {
        parse_version_get(R"({ "result": 0, "text": "kea" })", context);
        ADD_FAILURE() << "no SourceError";
    } catch (const SourceError& e) {
        EXPECT_STREQ(e.what(),
                     "unix socket /lab/k: version-get: the reply's \"text\" is not a Kea "
                     "version: 'kea'");
    }
}

// Every capture of Kea 2.6.5 and 3.2.0 (tests/data/kea-versions: real pairs and a
// hub-and-spoke hub with its two branches, under perfdhcp load, each with a declined lease in
// 198.18.1.0/24 and 198.18.5.0/24) gives the counters that server's own replies imply. The
// expected values were computed from the same replies by a reading independent of fostat's:
// num_addr = total-addresses; in use = the state 0 and 1 leases of the subnet in the
// lease4-get-page pages, which equal assigned + declined on 2.6.5 and assigned alone on 3.2.0
// (it counts declined leases itself); the split from those leases per pool class, or the
// hot-standby rule. The same load gave both releases the same leases, so one table serves
// both. The replies through the HTTP path (kea-ctrl-agent on 2.6.5, kea-dhcp4's own http
// control socket on 3.2.0) give the same samples as the unix socket's.
TEST(Kea, EveryVersionsCapturesGiveTheCountersItsOwnRepliesImply) {
    struct Expected {
        const char* scope;
        const char* server;
        const char* relationship;
        const char* role;
        State state;
        Values values;
    };
    struct Capture {
        const char* dir;
        const char* prefix;
        const char* fallback;
        std::vector<Expected> samples;
    };
    // clang-format off
    const std::vector<Capture> captures{
        {"load-balancing", "server1", "",
         {
          {"198.18.1.0/24", "server1", "server1-server2", "primary", State::normal, Values{240, 39, 201, 15, 24, 105, 96}},
          {"198.18.3.0/24", "server1", "server1-server2", "primary", State::normal, Values{80, 30, 50, 9, 21, 31, 19}},
          {"198.18.5.0/24", "server1", "server1-server2", "primary", State::normal, Values{50, 9, 41, kNull, kNull, kNull, kNull}}}},
        {"load-balancing", "server2", "",
         {
          {"198.18.1.0/24", "server2", "server1-server2", "secondary", State::normal, Values{240, 39, 201, 24, 15, 96, 105}},
          {"198.18.3.0/24", "server2", "server1-server2", "secondary", State::normal, Values{80, 30, 50, 21, 9, 19, 31}},
          {"198.18.5.0/24", "server2", "server1-server2", "secondary", State::normal, Values{50, 9, 41, kNull, kNull, kNull, kNull}}}},
        {"load-balancing", "partner-down.server1", "server1",
         {
          {"198.18.1.0/24", "server1", "server1-server2", "primary", State::partner_down, Values{240, 39, 201, 15, 24, 105, 96}},
          {"198.18.3.0/24", "server1", "server1-server2", "primary", State::partner_down, Values{80, 30, 50, 9, 21, 31, 19}},
          {"198.18.5.0/24", "server1", "server1-server2", "primary", State::partner_down, Values{50, 4, 46, kNull, kNull, kNull, kNull}}}},
        {"hot-standby", "server1", "",
         {
          {"198.18.1.0/24", "server1", "server1-server2", "active", State::normal, Values{240, 39, 201, 0, 39, 0, 201}},
          {"198.18.3.0/24", "server1", "server1-server2", "active", State::normal, Values{80, 30, 50, 0, 30, 0, 50}},
          {"198.18.5.0/24", "server1", "server1-server2", "active", State::normal, Values{50, 9, 41, 0, 9, 0, 41}}}},
        {"hot-standby", "server2", "",
         {
          {"198.18.1.0/24", "server2", "server1-server2", "standby", State::normal, Values{240, 39, 201, 39, 0, 201, 0}},
          {"198.18.3.0/24", "server2", "server1-server2", "standby", State::normal, Values{80, 30, 50, 30, 0, 50, 0}},
          {"198.18.5.0/24", "server2", "server1-server2", "standby", State::normal, Values{50, 9, 41, 9, 0, 41, 0}}}},
        {"hot-standby", "partner-down.server1", "server1",
         {
          {"198.18.1.0/24", "server1", "server1-server2", "active", State::partner_down, Values{240, 39, 201, 0, 39, 0, 201}},
          {"198.18.3.0/24", "server1", "server1-server2", "active", State::partner_down, Values{80, 30, 50, 0, 30, 0, 50}},
          {"198.18.5.0/24", "server1", "server1-server2", "active", State::partner_down, Values{50, 4, 46, 0, 4, 0, 46}}}},
        {"hub-and-spoke", "server1", "",
         {
          {"198.18.1.0/24", "branch1", "branch1-hub1", "active", State::normal, Values{240, 39, 201, 0, 39, 0, 201}}}},
        {"hub-and-spoke", "server2", "",
         {
          {"198.18.1.0/24", "hub1", "branch1-hub1", "standby", State::normal, Values{240, 39, 201, 39, 0, 201, 0}},
          {"198.18.3.0/24", "hub2", "branch2-hub2", "standby", State::normal, Values{80, 29, 51, 29, 0, 51, 0}}}},
        {"hub-and-spoke", "server3", "",
         {
          {"198.18.3.0/24", "branch2", "branch2-hub2", "active", State::normal, Values{80, 29, 51, 0, 29, 0, 51}}}},
        {"hub-and-spoke", "partner-down.server2", "server2",
         {
          {"198.18.1.0/24", "hub1", "branch1-hub1", "standby", State::partner_down, Values{240, 34, 206, 34, 0, 201, 5}},
          {"198.18.3.0/24", "hub2", "branch2-hub2", "standby", State::normal, Values{80, 29, 51, 29, 0, 51, 0}}}},
    };
    // clang-format on
    for (const Capture& capture : captures) {
        for (const std::string version : {"2.6.5", "3.2.0"}) {
            const std::string dir = kVersions + version + "/" + capture.dir;
            const std::string what = version + "/" + capture.dir + " " + capture.prefix;
            CapturedKea kea(dir, capture.prefix, capture.fallback);
            const Collected c = collect(kea);
            ASSERT_EQ(c.samples.size(), capture.samples.size()) << what;
            for (std::size_t i = 0; i < c.samples.size(); ++i) {
                const Sample& got = c.samples[i];
                const Expected& want = capture.samples[i];
                EXPECT_EQ(got.scope, want.scope) << what;
                EXPECT_EQ(got.server, want.server) << what << " " << want.scope;
                EXPECT_EQ(got.relationship.name, want.relationship) << what << " " << want.scope;
                EXPECT_EQ(got.relationship.role, want.role) << what << " " << want.scope;
                EXPECT_EQ(got.relationship.state, want.state) << what << " " << want.scope;
                EXPECT_EQ(got.counters.values, want.values) << what << " " << want.scope;
            }
            if (std::string(capture.prefix) == "server1" &&
                std::filesystem::exists(dir + "/server1.ca.config-get.json")) {
                CapturedKea http(dir, "server1.ca");
                const Collected h = collect(http);
                ASSERT_EQ(h.samples.size(), c.samples.size()) << what;
                for (std::size_t i = 0; i < h.samples.size(); ++i) {
                    EXPECT_EQ(h.samples[i].counters.values, c.samples[i].counters.values) << what;
                    EXPECT_EQ(h.samples[i].relationship.state, c.samples[i].relationship.state);
                }
            }
        }
    }
}

// The hub of Kea 2.6.5's hub-and-spoke capture (server2: "hub1" towards branch1, "hub2"
// towards branch2), its replies changed: status-get's entries reversed (matched by their
// server-name, not their place), or without server-name as before Kea 2.5.5 (matched by
// place); a subnet naming no relationship of the hub, and one naming none at all; --server
// giving the hub one name.
TEST(Kea, HubAndSpokeSubnetsCarryTheirOwnRelationshipAndState) {
    const std::string dir = kVersions + "2.6.5/hub-and-spoke";
    const std::string real_status = read_file(dir + "/partner-down.server2.status-get.json");
    nlohmann::json config = nlohmann::json::parse(read_file(dir + "/server2.config-get.json"));
    config["arguments"]["Dhcp4"]["subnet4"].push_back(nlohmann::json::parse(R"({
        "id": 7, "subnet": "198.18.7.0/24", "user-context": { "ha-server-name": "nobody" },
        "pools": [ { "pool": "198.18.7.10 - 198.18.7.20" } ] })"));
    config["arguments"]["Dhcp4"]["subnet4"].push_back(nlohmann::json::parse(R"({
        "id": 9, "subnet": "198.18.9.0/24", "pools": [ { "pool": "198.18.9.10 - 198.18.9.20" } ] })"));
    nlohmann::json reversed = nlohmann::json::parse(real_status);
    nlohmann::json& entries = reversed["arguments"]["high-availability"];
    std::reverse(entries.begin(), entries.end());
    nlohmann::json unnamed = nlohmann::json::parse(real_status);
    for (nlohmann::json& entry : unnamed["arguments"]["high-availability"])
        entry["ha-servers"]["local"].erase("server-name");

    for (const nlohmann::json* status : {&reversed, &unnamed}) {
        CapturedKea hub(dir, "partner-down.server2", "server2");
        hub.override_ = [&](const std::string& command,
                            const std::string&) -> std::optional<std::string> {
            if (command == "config-get")
                return config.dump();
            if (command == "status-get")
                return status->dump();
            return std::nullopt;
        };
        const Collected c = collect(hub);
        ASSERT_EQ(c.samples.size(), 2u);
        EXPECT_EQ(c.samples[0].scope, "198.18.1.0/24");
        EXPECT_EQ(c.samples[0].server, "hub1");
        EXPECT_EQ(c.samples[0].relationship.name, "branch1-hub1");
        EXPECT_EQ(c.samples[0].relationship.state, State::partner_down);  // branch1 stopped
        EXPECT_EQ(c.samples[1].scope, "198.18.3.0/24");
        EXPECT_EQ(c.samples[1].server, "hub2");
        EXPECT_EQ(c.samples[1].relationship.name, "branch2-hub2");
        EXPECT_EQ(c.samples[1].relationship.state, State::normal);
        EXPECT_EQ(c.samples[1].relationship.source_state, "hot-standby");
        ASSERT_EQ(c.counts.warnings.size(), 2u);
        EXPECT_EQ(c.counts.warnings[1],
                  "unix socket /lab/partner-down.server2: config-get: subnet 9 (198.18.9.0/24) "
                  "has no user-context ha-server-name to say which of this server's HA "
                  "relationships (hub1, hub2) serves it; it is left out");
        EXPECT_EQ(c.counts.warnings[0],
                  "unix socket /lab/partner-down.server2: config-get: subnet 7 (198.18.7.0/24) "
                  "names no HA relationship of this server: its user-context ha-server-name is "
                  "\"nobody\", this server's names are hub1, hub2; it is left out");
    }

    // --server names the hub once for all its relationships.
    CapturedKea hub(dir, "server2");
    test::VectorSink sink;
    KeaOptions named;
    named.server = "hub";
    collect_kea(hub, named, sink);
    ASSERT_EQ(sink.samples.size(), 2u);
    EXPECT_EQ(sink.samples[0].server, "hub");
    EXPECT_EQ(sink.samples[1].server, "hub");
    EXPECT_EQ(sink.samples[1].relationship.name, "branch2-hub2");
}

// Kea 3.1.2 and later count the declined leases inside assigned-addresses: the same leases
// give the same samples as 2.2's replies, each declined lease counted once.
TEST(Kea, FromKea312DeclinedLeasesAreCountedOnce) {
    for (const char* mode : {"load-balancing", "hot-standby"}) {
        CapturedKea old_kea(mode, "server1");
        const Collected before = collect(old_kea);
        CapturedKea new_kea(mode, "server1");
        std::string stats = read_file(kLab + mode + "/server1.stat-lease4-get.json");
        // [ subnet-id, total, cumulative, assigned, declined ]: assigned += declined.
        for (const auto& [from, to] :
             {std::pair{", 200, 1 ]", ", 201, 1 ]"}, std::pair{", 40, 1 ]", ", 41, 1 ]"}}) {
            const auto at = stats.find(from);
            ASSERT_NE(at, std::string::npos) << mode << from;
            stats.replace(at, std::string_view(from).size(), to);
        }
        new_kea.override_ = [&](const std::string& command,
                                const std::string&) -> std::optional<std::string> {
            if (command == "version-get")
                return read_file(kVersions + "version-get.3.2.0.json");
            if (command == "stat-lease4-get")
                return stats;
            return std::nullopt;
        };
        const Collected after = collect(new_kea);
        ASSERT_EQ(after.samples.size(), before.samples.size()) << mode;
        for (std::size_t i = 0; i < after.samples.size(); ++i)
            EXPECT_EQ(after.samples[i].counters.values, before.samples[i].counters.values)
                << mode << " " << i;
        EXPECT_EQ(after.samples[0].counters[Counter::addr_in_use], 201u) << mode;
        EXPECT_EQ(after.samples[0].counters[Counter::addr_free], 39u) << mode;
        EXPECT_EQ(after.counts.warnings, before.counts.warnings) << mode;
    }
}

std::string failure_of(CapturedKea& kea) {
    test::VectorSink sink;
    try {
        collect_kea(kea, KeaOptions{}, sink);
    } catch (const SourceError& e) {
        EXPECT_TRUE(sink.samples.empty());
        return e.what();
    }
    ADD_FAILURE() << "no SourceError";
    return "";
}

TEST(Kea, ErrorsNameTheServerAndTheCommand) {
    CapturedKea kea("load-balancing", "server1");
    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "stat-lease4-get")
            return read_file(kLab + "errors/no-hooks.stat-lease4-get.json");
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea),
              "unix socket /lab/server1: stat-lease4-get: Kea answered result 2: "
              "'stat-lease4-get' command not supported. (load the hook library "
              "libdhcp_stat_cmds.so into kea-dhcp4)");

    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "config-get")
            return "{ \"result\": 0, \"arguments\": { \"Dhcp4\": { \"subnet4\": [ { \"id\": 1, "
                   "\"subnet\": \"10.0.0.0/24\", \"pools\": [ { \"pool\": \"10.0.0.300-10.0.0.9\" "
                   "} ] } ] } } }";
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea),
              "unix socket /lab/server1: config-get: \"Dhcp4.subnet4[0].pools[0].pool\" is not "
              "an IPv4 pool: '10.0.0.300-10.0.0.9'");

    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "status-get")
            return "{ \"result\": 0, \"arguments\": { \"high-availability\": [ { \"ha-mode\": 7 "
                   "} ] } }";
        if (command == "lease4-get-page")
            return "[ { \"result\": 0, \"arguments\": { \"leases\": [ { \"ip-address\": "
                   "\"10.0.0.1\" } ] } }";  // cut off
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea),
              "unix socket /lab/server1: status-get: \"arguments.high-availability[0].ha-mode\" "
              "is not a string");

    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "lease4-get-page")
            return "[ { \"result\": 0, \"arguments\": { \"leases\": [ { \"ip-address\": "
                   "\"10.0.0.1\" } ] } }";  // cut off
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea).substr(0, 70),
              "unix socket /lab/server1: lease4-get-page: the reply is not JSON: '[ {");

    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "config-get")
            return read_file(kLab + "errors/no-hooks.status-get.json");  // no Dhcp4 at all
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea),
              "unix socket /lab/server1: config-get: the reply has no \"arguments.Dhcp4\"");

    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "config-get")
            return "{ \"result\": 0, \"arguments\": { \"Dhcp4\": { \"subnet4\": [] } } }";
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea),
              "unix socket /lab/server1: config-get: kea-dhcp4 has no HA configuration (hook "
              "library libdhcp_ha.so); fostat records the servers of HA pairs");

    // A transport failure passes through as it is.
    kea.override_ = [](const std::string& command,
                       const std::string&) -> std::optional<std::string> {
        if (command == "status-get")
            throw SourceError("unix socket /lab/server1: status-get: no reply within 10 s");
        return std::nullopt;
    };
    EXPECT_EQ(failure_of(kea), "unix socket /lab/server1: status-get: no reply within 10 s");
}

TEST(KeaJson, RepliesThroughTheControlAgentAreUnwrapped) {
    const KeaReplyContext context{"http://198.18.1.2:8000/", "stat-lease4-get"};
    const auto via_agent = parse_stat_lease4_get(
        read_file(kLab + "load-balancing/server1.ca.stat-lease4-get.json"), context);
    ASSERT_EQ(via_agent.size(), 3u);
    EXPECT_EQ(via_agent.at(1).total, 240u);
    EXPECT_EQ(via_agent.at(1).declined, 1u);
    const auto status = parse_status_get(
        read_file(kLab + "load-balancing/server1.ca.status-get.json"), {"x", "status-get"});
    ASSERT_EQ(status.size(), 1u);
    EXPECT_EQ(status[0].state, "load-balancing");
    EXPECT_EQ(status[0].server_name, "");  // Kea 2.2 does not name the local server
    EXPECT_THROW(parse_stat_lease4_get("[ {\"result\": 0}, {\"result\": 0} ]", context),
                 SourceError);
}

TEST(KeaJson, PoolsInEveryFormAndTheirClasses) {
    const std::string config = R"({ "result": 0, "arguments": { "Dhcp4": {
      "subnet4": [ { "id": 7, "subnet": "10.1.0.0/16", "pools": [
        { "pool": "10.1.0.10 - 10.1.0.19", "client-class": "HA_a" },
        { "pool": "10.1.1.0/25", "client-classes": [ "x", "HA_b" ] },
        { "pool": "10.1.2.5-10.1.2.5" } ] } ],
      "shared-networks": [ { "name": "n", "subnet4": [ { "id": 8, "subnet": "10.2.0.0/24" } ] } ]
    } } })";
    const KeaConfig c = parse_config_get(config, {"x", "config-get"});
    ASSERT_EQ(c.subnets.size(), 2u);
    const auto& pools = c.subnets[0].pools;
    ASSERT_EQ(pools.size(), 3u);
    EXPECT_EQ(pools[0].size(), 10u);
    EXPECT_EQ(pools[0].client_classes, std::vector<std::string>{"HA_a"});
    EXPECT_EQ(pools[1].size(), 128u);
    EXPECT_EQ(pools[1].client_classes, (std::vector<std::string>{"x", "HA_b"}));
    EXPECT_EQ(pools[2].size(), 1u);
    EXPECT_EQ(c.subnets[1].id, 8);
    EXPECT_TRUE(c.subnets[1].pools.empty());
    EXPECT_TRUE(c.relationships.empty());
}

}  // namespace
}  // namespace fostat
