// dhcpd's own pool figures from its log (server/failover.c, ISC DHCP 4.4):
//   balancing pool 55fb54d8bfc0 198.18.3.0/24  total 41  free 41  backup 0  lts 20  max-own (+/-)4
//   balanced pool 55fb54d8bfc0 198.18.3.0/24  total 41  free 21  backup 20  lts 0  max-misbal 6
//   IMBALANCED pool ...  (same fields as "balanced", logged at error level)
// each either bare (dhcpd -d on stderr) or behind a traditional syslog prefix
// "Nov 25 00:58:16 host dhcpd[123]: ".
#pragma once

#include "fostat/error.h"
#include "fostat/sample_sink.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "formats/byte_source.h"

namespace date {
class time_zone;
}

namespace fostat {

enum class PoolLineKind { balancing, balanced, imbalanced };

struct PoolLine {
    // UTC Unix seconds from the syslog prefix; empty when the line had none (dhcpd's own
    // stderr output carries no time at all).
    std::optional<std::int64_t> timestamp;
    // What dhcpd prints after the pool's address: the name of the pool's shared network.
    // For a subnet outside any shared-network declaration dhcpd names the implicit shared
    // network after the subnet ("198.18.3.0/24"); it may be empty.
    std::string network;
    std::string pool_id;  // the pool's in-memory address in hex: identifies it within one run
    std::uint64_t total = 0;
    std::uint64_t free = 0;
    std::uint64_t backup = 0;
    std::int64_t lts = 0;  // leases to send to the peer (negative: to receive)
    PoolLineKind kind = PoolLineKind::balancing;
    std::uint64_t line = 0;  // 1-based line number in its input
};

// How syslog's year-less local times become UTC. Syslog omits the year: every line is
// taken to be in `year`; a log that crosses New Year must be split by the caller and each
// part read with its own year. Local times that occur twice (the hour a zone's clock goes
// back) take the earlier instant.
class LogClock {
  public:
    // `zone` is an IANA name ("Europe/Berlin"); empty means UTC. Throws InputError for an
    // unknown zone.
    LogClock(int year, const std::string& zone = "");
    int year() const { return year_; }
    const date::time_zone* zone() const { return zone_; }  // nullptr: UTC

  private:
    int year_;
    const date::time_zone* zone_ = nullptr;
};

// A syslog time that does not exist in the LogClock's zone (the hour its clock goes forward):
// "name:line: the local time 'Mar 29 02:30:00' does not exist in Europe/Berlin (the clock
// moved forward over it)". Most likely the log is of another zone, which the caller, knowing
// how the zone is chosen, may add.
class NonexistentLocalTime : public InputError {
  public:
    using InputError::InputError;
};

struct IscLogSummary {
    std::uint64_t lines = 0;
    std::uint64_t pool_lines = 0;
    std::uint64_t skipped_lines = 0;  // lines that are not pool lines
};

// Parses one line (without its line end). Returns nullopt when it is not a pool line.
// Throws InputError "name:line: ..." when the line is a pool line ("balancing pool ",
// "balanced pool " or "IMBALANCED pool " at its start or after a syslog tag's ": ") whose
// prefix or figures do not parse, NonexistentLocalTime when its time does not exist.
std::optional<PoolLine> parse_pool_line(std::string_view text, const LogClock& clock,
                                        const std::string& name, std::uint64_t line);

// Reads every line of `in` and hands each pool line to `on_pool`, in input order.
// `name` is how errors name the input. Throws InputError as parse_pool_line does, and when
// the input cannot be read.
// `on_other`, when given, sees every other line with its number. A line longer than 1 MiB
// is an error: the input is not a log.
IscLogSummary read_isc_log(
    ByteSource& in, const std::string& name, const LogClock& clock,
    const std::function<void(const PoolLine&)>& on_pool,
    const std::function<void(std::string_view text, std::uint64_t line)>& on_other = {});

// The state a "failover peer NAME: I move from A to B" line moves this server to, for
// peer `peer`; nullopt for any other line.
std::optional<std::string> failover_move(std::string_view text, const std::string& peer);

// The isc-log source: one sample per pool line, mapped as the isc source maps a journal
// (free is the primary's, backup the secondary's, in use = total - free - backup), with the
// in-use split NULL (the log does not say) and the state of the last "failover peer NAME:
// I move from A to B" line of the relationship before it (unknown before the first).
struct IscLogOptions {
    std::string server;
    bool primary = true;       // the role of the server that wrote the log
    std::string relationship;  // the failover peer's name, when known
};

// Reads `in` and adds a sample per scope and time to `sink`: when dhcpd logs several pool
// lines for one pool in one second ("balancing", then "balanced"), the last one counts.
// Throws InputError "name:line: ..." for a pool line without a syslog time, of a shared
// network rather than a subnet, or whose free and backup exceed its total, and for a sample
// the sink refuses (named by the line that gave it).
IscLogSummary isc_log_samples(ByteSource& in, const std::string& name, const LogClock& clock,
                              const IscLogOptions& options, SampleSink& sink);

}  // namespace fostat
