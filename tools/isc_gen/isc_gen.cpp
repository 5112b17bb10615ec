// fostat-isc-gen: writes a dhcpd.conf (with an included file) and a dhcpd.leases journal of
// a failover server with a known truth, for the isc source's tests and benchmark; and lists
// MAC addresses of clients that one server of a pair answers, for the end-to-end test.
//
// Usage: fostat-isc-gen DIR SUBNETS LEASES [SEED]
//   DIR/dhcpd.conf, DIR/pools.conf (included), DIR/dhcpd.leases, and DIR/truth.csv:
//   scope,num_addr,free,backup,in_use (what the primary's sample must say).
// The configuration uses the odd-but-valid syntax dhcpd accepts (`dhcpd -t` accepts it):
// comments after statements, quoted strings holding ; { } and #, ranges across lines,
// one-address ranges, four-digit octets, an hba over two lines, shared-networks that name the
// failover peer for their pools, bare ranges that join a failover pool and bare ranges that do
// not, group and host blocks, an include. The journal writes several records for some
// addresses (the last wins), uids in quoted and hex form, every binding state, records without
// a binding state, and malformed hardware addresses that dhcpd reads past.
//
// Usage: fostat-isc-gen macs COUNT primary|secondary SPLIT [BASE]
//   COUNT MAC addresses, one a line, counting up from BASE (default 00:0c:05:00:00:00), of
//   clients that dhcpd load-balances to that server under `split SPLIT` (a perfdhcp -M
//   file). The key hashed is the client identifier 01 + MAC, which perfdhcp sends and which
//   dhcpd hashes in preference to the hardware address: the isc source's own hash
//   (src/sources/include/sources/isc_balance.h), so a test can drive one server's pool.

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fostat/error.h"
#include "sources/isc_balance.h"

namespace {

std::uint64_t g_state = 1;
std::uint64_t next() {  // splitmix64: the same journal for the same seed everywhere
    std::uint64_t z = (g_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::string ip(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
           std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

struct Range {
    std::uint32_t first, last;
};
struct Subnet {
    std::uint32_t network;
    std::vector<Range> ranges;  // failover pool ranges
    std::uint64_t free = 0, backup = 0, in_use = 0;
};

const std::array<const char*, 7> kStates = {"free",     "backup",    "active", "expired",
                                            "released", "abandoned", "reset"};

// An address with each octet written in four digits, "010.000.001.0010": dhcpd reads them in
// decimal.
std::string padded_ip(std::uint32_t a) {
    char text[20];
    std::snprintf(text, sizeof text, "%03u.%03u.%03u.%04u", a >> 24, (a >> 16) & 255,
                  (a >> 8) & 255, a & 255);
    return text;
}

std::string range_statement(const Range& r, std::uint64_t variant) {
    if (r.first == r.last)
        return "    range " + ip(r.first) + ";\n";
    switch (variant % 3) {
        case 0:
            return "    range " + ip(r.first) + " " + ip(r.last) + ";  # a comment\n";
        case 1:
            return "    range " + padded_ip(r.first) + " " + padded_ip(r.last) + ";\n";
        default:
            return "    range " + ip(r.first) + "\n          " + ip(r.last) + "\n    ;\n";
    }
}

// "00:0c:05:00:00:00" as a 48-bit number; nullopt unless six two-digit hex bytes.
std::optional<std::uint64_t> parse_mac(const std::string& text) {
    if (text.size() != 17)
        return std::nullopt;
    std::uint64_t mac = 0;
    for (std::size_t i = 0; i < 17; i += 3) {
        if (i + 2 < 17 && text[i + 2] != ':')
            return std::nullopt;
        if (!std::isxdigit(static_cast<unsigned char>(text[i])) ||
            !std::isxdigit(static_cast<unsigned char>(text[i + 1])))
            return std::nullopt;
        mac = mac << 8 | std::stoul(text.substr(i, 2), nullptr, 16);
    }
    return mac;
}

// The `macs` mode: see the usage at the top.
int list_macs(int argc, char** argv) {
    const char* usage = "usage: fostat-isc-gen macs COUNT primary|secondary SPLIT [BASE]\n";
    if (argc < 5 || argc > 6) {
        std::cerr << usage;
        return 2;
    }
    const std::string server = argv[3];
    long count = 0;
    int split = 0;
    try {
        count = std::stol(argv[2]);
        split = std::stoi(argv[4]);
    } catch (const std::exception&) {
        std::cerr << "fostat-isc-gen: COUNT and SPLIT are numbers\n" << usage;
        return 2;
    }
    const auto base = parse_mac(argc > 5 ? argv[5] : "00:0c:05:00:00:00");
    if (count < 0 || (server != "primary" && server != "secondary") || !base) {
        std::cerr << "fostat-isc-gen: COUNT >= 0, primary or secondary, BASE a MAC address "
                     "such as 00:0c:05:00:00:00\n"
                  << usage;
        return 2;
    }
    fostat::Hba hba;
    try {
        hba = fostat::hba_from_split(split);
    } catch (const fostat::Error& e) {
        std::cerr << "fostat-isc-gen: " << e.what() << '\n';
        return 2;
    }
    const bool want_primary = server == "primary";
    std::uint64_t mac = *base;
    for (long found = 0; found < count; ++mac) {
        if (mac > 0xffffffffffffull) {
            std::cerr << "fostat-isc-gen: ran out of MAC addresses after " << found << '\n';
            return 1;
        }
        std::array<std::uint8_t, 7> client_id{1};  // hardware type 1 (Ethernet), then the MAC
        for (int i = 0; i < 6; ++i)
            client_id[1 + i] = static_cast<std::uint8_t>(mac >> (8 * (5 - i)));
        if (fostat::served_by_primary(fostat::rfc3074_bucket(client_id), hba) != want_primary)
            continue;
        char text[18];
        std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", client_id[1],
                      client_id[2], client_id[3], client_id[4], client_id[5], client_id[6]);
        std::cout << text << '\n';
        ++found;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "macs")
        return list_macs(argc, argv);
    if (argc < 4) {
        std::cerr << "usage: fostat-isc-gen DIR SUBNETS LEASES [SEED]\n"
                     "       fostat-isc-gen macs COUNT primary|secondary SPLIT [BASE]\n";
        return 2;
    }
    const std::string dir = argv[1];
    const int subnets = std::stoi(argv[2]);
    const long leases = std::stol(argv[3]);
    g_state = argc > 4 ? std::stoull(argv[4]) : 1;
    if (subnets < 1 || subnets > 60000 || leases < 0) {
        std::cerr << "fostat-isc-gen: SUBNETS 1..60000, LEASES >= 0\n";
        return 2;
    }

    // Subnets are /24s from 10.0.0.0 (65,536 of them fit in 10/8), each with one or two
    // failover ranges; one in ten also has a range outside any failover pool.
    std::vector<Subnet> all;
    std::ofstream pools(dir + "/pools.conf");
    pools << "# generated by fostat-isc-gen: the subnets, included from dhcpd.conf\n";
    for (int i = 0; i < subnets; ++i) {
        Subnet s;
        s.network = (10u << 24) | (static_cast<std::uint32_t>(i) << 8);
        const std::uint32_t start = s.network + 10 + static_cast<std::uint32_t>(next() % 20);
        const std::uint32_t size = 40 + static_cast<std::uint32_t>(next() % 180);
        if (next() % 4 == 0) {
            s.ranges.push_back({start, start});
            s.ranges.push_back({start + 2, start + 1 + size / 2});
        } else {
            s.ranges.push_back({start, start + size - 1});
        }
        // A shared-network names the failover peer for its pools, which then need not.
        const bool shared = i % 7 == 3;
        if (shared)
            pools << "shared-network \"net " << i << "; {odd} #name\" {\n"
                  << "  failover peer \"fo\";\n";
        pools << "subnet " << ip(s.network) << " netmask 255.255.255.0 {\n"
              << "  option domain-name \"s" << i << ".example; { } # not a comment\";\n";
        if (i % 5 == 0)
            pools << "  group {\n    host h" << i
                  << " { hardware ethernet 00:11:22:33:44:" << (i % 90 + 10) << "; }\n  }\n";
        // A pool whose only permit is "deny dynamic bootp clients" takes the bare range that
        // follows it; without that statement the bare range is a pool of its own, not shared.
        const bool takes_bare_range = i % 4 == 1;
        pools << "  pool {\n"
              << (shared ? "" : "    failover peer \"fo\";\n")
              << (takes_bare_range ? "    deny dynamic bootp clients;\n" : "");
        for (const Range& r : s.ranges)
            pools << range_statement(r, next());
        pools << "  }\n";
        if (i % 10 == 9) {
            pools << "  range " << ip(s.network + 251) << " " << ip(s.network + 254) << ";\n";
            if (takes_bare_range)
                s.ranges.push_back({s.network + 251, s.network + 254});
        }
        pools << "}\n";
        if (shared)
            pools << "}\n";
        all.push_back(std::move(s));
    }
    pools.close();

    std::ofstream conf(dir + "/dhcpd.conf");
    conf << "# generated by fostat-isc-gen\nauthoritative;\n"
         << "failover peer \"fo\" {\n  primary; # this server\n  address 198.18.1.2;\n"
         << "  peer address 198.18.1.3;\n  mclt 600;\n  max-balance 3600;\n  load balance max "
            "seconds 3;\n"
         // split 128, as an hba over two lines
         << "  hba ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:\n"
         << "      00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00;\n}\n"
         // An absolute path: dhcpd (and dhcpd-pools) resolve a relative include against
         // their working directory, fostat against the including file's directory.
         << "include \"" << std::filesystem::absolute(dir + "/pools.conf").string() << "\";\n";
    conf.close();

    // Addresses of every failover range, in order: each lease record picks one.
    std::vector<std::pair<std::uint32_t, std::size_t>> addresses;  // address, subnet index
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const Range& r : all[i].ranges) {
            for (std::uint32_t a = r.first; a <= r.last; ++a)
                addresses.emplace_back(a, i);
        }
    }
    std::map<std::uint32_t, int> final_state;  // address -> index into kStates
    std::ofstream out(dir + "/dhcpd.leases");
    out << "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
        << "# generated by fostat-isc-gen\n\nauthoring-byte-order little-endian;\n\n"
        << "failover peer \"fo\" state {\n  my state normal at 3 2026/11/25 00:58:16;\n"
        << "  partner state normal at 3 2026/11/25 00:58:16;\n}\n";
    for (long n = 0; n < leases && !addresses.empty(); ++n) {
        const auto [address, subnet] = addresses[next() % addresses.size()];
        (void)subnet;
        int state = static_cast<int>(next() % 10 < 5 ? next() % 3 : next() % kStates.size());
        // A record without a binding state (dhcpd 2) is active until it ends, then free.
        const bool no_binding = n % 50 == 7 || n % 50 == 8;
        if (no_binding)
            state = n % 50 == 7 ? 2 : 0;
        final_state[address] = state;
        char mac[32];
        std::snprintf(mac, sizeof mac, "00:0c:%02x:%02x:%02x:%02x", static_cast<int>(n >> 24 & 255),
                      static_cast<int>(n >> 16 & 255), static_cast<int>(n >> 8 & 255),
                      static_cast<int>(n & 255));
        // Leases end in 2037 (dhcpd keeps times below 2^31), so that dhcpd, which expires a lease
        // whose end has passed when it loads the journal, reads every state as written
        // (tests/scripts/isc_dhcpd_diff.sh); but a record without a binding state that ended in
        // 2026 is free.
        out << "lease " << ip(address) << " {\n"
            << "  starts 3 2026/11/25 00:58:17;\n"
            << (n % 50 == 8 ? "  ends 3 2026/11/25 01:08:17;\n" : "  ends 4 2037/12/31 23:00:00;\n")
            << "  tstp 3 2026/11/25 01:08:17;\n  cltt 3 2026/11/25 00:58:17;\n";
        if (!no_binding)
            out << "  binding state " << kStates[state] << ";\n"
                << "  next binding state free;\n  rewind binding state free;\n";
        if (n % 97 == 5) {
            // dhcpd warns and loads the lease without a hardware address.
            out << "  hardware ethernet 00:0c:zz:00:00:01;\n";
        } else if (state >= 2 || no_binding) {
            out << "  hardware ethernet " << mac << ";\n";
            if (n % 3 == 0)
                out << "  uid \"\\001\\000\\014" << static_cast<char>('a' + n % 26) << "\\\"x\";\n";
            else if (n % 3 == 1)
                out << "  uid 01:" << mac << ";\n";
            out << "  set vendor-class-identifier = \"gen; {x}\";\n"
                << "  client-hostname \"host-" << n << "\";\n";
        }
        out << "}\n";
    }
    out.close();

    std::ofstream truth(dir + "/truth.csv");
    truth << "scope,num_addr,free,backup,in_use\n";
    std::size_t next_address = 0;
    for (const Subnet& s : all) {
        std::uint64_t num = 0, free = 0, backup = 0;
        for (const Range& r : s.ranges) {
            for (std::uint32_t a = r.first; a <= r.last; ++a, ++next_address) {
                ++num;
                const auto it = final_state.find(a);
                const int state = it == final_state.end() ? 0 : it->second;
                free += state == 0;
                backup += state == 1;
            }
        }
        truth << ip(s.network) << "/24," << num << ',' << free << ',' << backup << ','
              << num - free - backup << '\n';
    }
    return 0;
}
