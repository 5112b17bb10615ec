#include "sources/isc_balance.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fostat/error.h"

namespace fostat {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::initializer_list<int> values) {
    Bytes out;
    for (int v : values)
        out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string data_file(const std::string& name) {
    return std::string(FOSTAT_SOURCE_DIR) + "/tests/data/isc-pair/" + name;
}

Bytes parse_mac(const std::string& text) {
    Bytes out;
    std::istringstream in(text);
    std::string part;
    while (std::getline(in, part, ':'))
        out.push_back(static_cast<std::uint8_t>(std::stoul(part, nullptr, 16)));
    return out;
}

// A leases-file `uid` value: a quoted string with \ooo octal escapes (what dhcpd writes for
// non-printable bytes) and \" or \\ for those two characters, or colon-separated hex octets.
Bytes parse_uid(const std::string& text) {
    if (text.empty() || text[0] != '"')
        return parse_mac(text);
    Bytes out;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            out.push_back(static_cast<std::uint8_t>(std::stoul(text.substr(i + 1, 3), nullptr, 8)));
            i += 3;
        } else if (text[i] == '\\') {  // \" and \\ stand for the character itself
            out.push_back(static_cast<std::uint8_t>(text[++i]));
        } else {
            out.push_back(static_cast<std::uint8_t>(text[i]));
        }
    }
    return out;
}

TEST(IscBalance, BucketsComputedByHandFromTheRfcTable) {
    // hash = len; then for each byte from the last to the first: hash = table[hash ^ byte].
    EXPECT_EQ(rfc3074_bucket({}), 0);                     // no bytes: the length itself
    EXPECT_EQ(rfc3074_bucket(bytes({0x00})), 175);        // table[1 ^ 0x00] = table[1]
    EXPECT_EQ(rfc3074_bucket(bytes({14})), 232);          // table[1 ^ 14] = table[15]
    EXPECT_EQ(rfc3074_bucket(bytes({0xff})), 234);        // table[1 ^ 0xff] = table[254]
    EXPECT_EQ(rfc3074_bucket(bytes({0x00, 0x00})), 150);  // table[2] = 119; table[119] = 150
    EXPECT_EQ(rfc3074_bucket(bytes({0x01, 0x00})), 155);  // table[2] = 119; table[118] = 155
    EXPECT_EQ(rfc3074_bucket(bytes({0x00, 0x01})), 120);  // table[3] = 215; table[215] = 120
}

TEST(IscBalance, BucketsOfLongerKeys) {
    // Computed with an independent script over dhcpd's own loadb_mx_tbl.
    EXPECT_EQ(rfc3074_bucket(bytes({0x00, 0x0c, 0x01, 0x02, 0x00, 0x01})), 23);
    EXPECT_EQ(rfc3074_bucket(bytes({0x00, 0x0c, 0x01, 0x02, 0x00, 0x02})), 68);
    EXPECT_EQ(rfc3074_bucket(bytes({0x01, 0x00, 0x0c, 0x01, 0x02, 0x00, 0x01})), 131);
    Bytes all(256);
    for (int i = 0; i < 256; ++i)
        all[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(rfc3074_bucket(all), 152);            // length 256 starts the hash at 0
    EXPECT_EQ(rfc3074_bucket(Bytes(300, 7)), 233);  // length 300 starts it at 300 % 256
}

TEST(IscBalance, SplitSetsTheFirstBuckets) {
    const Hba half = hba_from_split(128);
    for (int b = 0; b < 256; ++b)
        EXPECT_EQ(served_by_primary(static_cast<std::uint8_t>(b), half), b < 128) << b;
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(half[i], 0xff);
    for (int i = 16; i < 32; ++i)
        EXPECT_EQ(half[i], 0x00);

    const Hba none = hba_from_split(0);
    const Hba all = hba_from_split(256);
    for (int b = 0; b < 256; ++b) {
        EXPECT_FALSE(served_by_primary(static_cast<std::uint8_t>(b), none));
        EXPECT_TRUE(served_by_primary(static_cast<std::uint8_t>(b), all));
    }
    // split 3: bits 0, 1, 2 of the first byte.
    const Hba three = hba_from_split(3);
    EXPECT_EQ(three[0], 0x07);
    EXPECT_TRUE(served_by_primary(2, three));
    EXPECT_FALSE(served_by_primary(3, three));
}

TEST(IscBalance, HbaBitOrderIsLeastSignificantFirst) {
    Hba hba{};
    hba[1] = 0x80;  // bucket 15 only
    EXPECT_TRUE(served_by_primary(15, hba));
    EXPECT_FALSE(served_by_primary(8, hba));
    EXPECT_FALSE(served_by_primary(7, hba));
}

TEST(IscBalance, SplitOutOfRangeIsAnInputError) {
    try {
        hba_from_split(257);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "split must be between 0 and 256, inclusive, not 257");
    }
    EXPECT_THROW(hba_from_split(-1), InputError);
}

// The real failover pair (split 128): a server logs "load balance to peer" when it declines a
// DHCPDISCOVER because the client hashes to the other server. Every such client must hash to
// the other side. perfdhcp sends a client identifier (01 + MAC), which dhcpd hashes instead
// of chaddr; the identifiers come from the two servers' lease files.
TEST(IscBalance, AgreesWithTheRealServersLoadBalanceDecisions) {
    std::map<std::string, Bytes> uid_of_mac;
    const std::regex lease_client(
        R"(hardware ethernet ([0-9a-f:]+);\s*uid ("(?:[^"\\]|\\.)*"|[0-9a-f:]+);)");
    for (const char* name : {"primary.dhcpd.leases", "secondary.dhcpd.leases"}) {
        const std::string text = read_all(data_file(name));
        for (std::sregex_iterator it(text.begin(), text.end(), lease_client), end; it != end; ++it)
            uid_of_mac[(*it)[1]] = parse_uid((*it)[2]);
    }
    ASSERT_FALSE(uid_of_mac.empty());

    const Hba hba = hba_from_split(128);
    const std::regex declined(R"(DHCPDISCOVER from ([0-9a-f:]+) .*: load balance to peer )");
    struct Log {
        const char* name;
        bool primary;
    };
    int checked = 0;
    int by_mac_would_disagree = 0;
    int with_lease = 0;
    for (const Log log : {Log{"primary.dhcpd.log", true}, Log{"secondary.dhcpd.log", false}}) {
        std::istringstream in(read_all(data_file(log.name)));
        std::string line;
        int declined_here = 0;
        while (std::getline(in, line)) {
            std::smatch m;
            if (!std::regex_search(line, m, declined))
                continue;
            const std::string mac = m[1];
            Bytes expected_uid = parse_mac(mac);
            expected_uid.insert(expected_uid.begin(), 0x01);
            // A client that never got a lease has no record; every client that has one shows
            // perfdhcp's identifier form, checked here, so it is used for the others.
            Bytes uid = expected_uid;
            if (const auto found = uid_of_mac.find(mac); found != uid_of_mac.end()) {
                EXPECT_EQ(found->second, expected_uid) << mac;
                uid = found->second;
                ++with_lease;
            }
            // The declining server is not the one the client hashes to.
            EXPECT_EQ(served_by_primary(rfc3074_bucket(uid), hba), !log.primary)
                << log.name << ": " << line;
            if (served_by_primary(rfc3074_bucket(parse_mac(mac)), hba) != !log.primary)
                ++by_mac_would_disagree;
            ++declined_here;
        }
        EXPECT_GT(declined_here, 0) << log.name;
        checked += declined_here;
    }
    EXPECT_EQ(checked, 130);
    EXPECT_GT(with_lease, 100);
    // Hashing chaddr instead of the identifier would contradict the servers: the test can
    // tell the two apart.
    EXPECT_GT(by_mac_would_disagree, 0);
}

}  // namespace
}  // namespace fostat
