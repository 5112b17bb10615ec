// The part of ISC dhcpd.conf(5) that fostat needs: subnets, pools with their failover peer,
// every `range` form, and the `failover peer` declarations. Everything else is skipped by
// brace matching.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fostat {

// Where configuration text comes from, so that the parser is tested on strings.
class ConfigFiles {
  public:
    virtual ~ConfigFiles() = default;
    // The whole text of `path`, or nullopt when it does not exist or cannot be read.
    virtual std::optional<std::string> read(const std::string& path) = 0;
};

class FilesystemConfigFiles : public ConfigFiles {
  public:
    std::optional<std::string> read(const std::string& path) override;
};

class MemoryConfigFiles : public ConfigFiles {
  public:
    std::optional<std::string> read(const std::string& path) override;
    std::map<std::string, std::string> files;
};

struct IscRange {
    std::uint32_t first = 0;  // host byte order, first <= last
    std::uint32_t last = 0;
    bool dynamic_bootp = false;
    std::string file;  // where it is declared, for messages
    std::uint64_t line = 0;
    std::uint64_t size() const { return std::uint64_t{last} - first + 1; }
};

struct IscPool {
    std::optional<std::string> failover_peer;  // none: not shared with a partner
    std::vector<IscRange> ranges;
    std::string file;
    std::uint64_t line = 0;
};

struct IscSubnet {
    std::uint32_t network = 0;
    int prefix_length = 0;
    std::optional<std::string> shared_network;
    // A range declared outside any pool is a pool of its own without a failover peer, as
    // dhcpd treats it.
    std::vector<IscPool> pools;
    std::string file;
    std::uint64_t line = 0;
};

enum class FailoverRole { primary, secondary };

struct IscFailoverPeer {
    std::string name;
    FailoverRole role = FailoverRole::primary;
    std::optional<int> split;  // 0..255 as written; also turned into `hba`
    // The hash bucket assignment (RFC 3074): bit i (hba[i / 8] >> (i % 8)) set means bucket i
    // is the primary's. From `hba` or from `split` (buckets below split). A secondary learns
    // it from the primary, so it is usually absent there.
    std::optional<std::array<std::uint8_t, 32>> hba;
    std::optional<std::uint32_t> mclt;
    std::uint32_t max_balance = 3600;  // dhcpd's defaults
    std::uint32_t min_balance = 60;
    std::uint32_t max_lease_misbalance = 15;
    std::string file;
    std::uint64_t line = 0;
};

struct IscConfig {
    std::vector<IscSubnet> subnets;
    std::vector<IscFailoverPeer> failover_peers;
    std::vector<std::string> warnings;  // "file:line: ..."
};

// Parses `path` and the files it includes (a relative include is resolved against the
// including file's directory). Throws InputError "file:line: ..." for what dhcpd would
// refuse: unbalanced braces, an unterminated string, a bad address or netmask, a range
// outside its subnet, overlapping ranges, a pool naming an undeclared peer, an include that
// is missing or forms a cycle.
IscConfig parse_isc_config(ConfigFiles& files, const std::string& path);

}  // namespace fostat
