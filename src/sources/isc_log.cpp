#include "sources/isc_log.h"

#include <map>

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>
#include <utility>
#include <vector>

#include "fostat/calendar.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"

namespace fostat {

namespace {

struct Keyword {
    std::string_view text;
    PoolLineKind kind;
};

constexpr std::array<Keyword, 3> kKeywords = {{
    {"balancing pool ", PoolLineKind::balancing},
    {"balanced pool ", PoolLineKind::balanced},
    {"IMBALANCED pool ", PoolLineKind::imbalanced},
}};

// Where the pool message starts: at the line's start, or after the ": " that ends a syslog
// tag. npos when the line is not a pool line.
struct MessageStart {
    std::size_t at = std::string_view::npos;
    const Keyword* keyword = nullptr;
};

MessageStart find_message(std::string_view text) {
    MessageStart best;
    for (const Keyword& k : kKeywords) {
        std::size_t at = std::string_view::npos;
        if (text.starts_with(k.text)) {
            at = 0;
        } else {
            const std::string needle = ": " + std::string(k.text);
            const std::size_t found = text.find(needle);
            if (found != std::string_view::npos)
                at = found + 2;
        }
        if (at < best.at)
            best = {at, &k};
    }
    return best;
}

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ')
            ++i;
        if (i > start)
            words.push_back(text.substr(start, i - start));
    }
    return words;
}

class LineParser {
  public:
    LineParser(const std::string& name, std::uint64_t line) : name_(name), line_(line) {}

    [[noreturn]] void fail(const std::string& message) const {
        throw InputError(at_line(name_, line_, message));
    }

    std::int64_t syslog_time(std::string_view prefix, const LogClock& clock) const {
        // "Mmm dd HH:MM:SS host ...", read by hand: date::parse's %T reads the seconds as a
        // long double and converts a malformed field (a NaN) with undefined behaviour, which
        // the fuzzer found. The calendar check is fostat/calendar.h's: "Feb 30" fails.
        const auto bad_time = [&] {
            fail("expected a syslog time like 'Nov 25 00:58:16' before the pool message, found " +
                 excerpt(prefix));
        };
        static constexpr std::array<std::string_view, 12> kMonths = {
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        if (prefix.size() < 16 || prefix[3] != ' ' || prefix[6] != ' ' || prefix[9] != ':' ||
            prefix[12] != ':' || prefix[15] != ' ')
            bad_time();
        const auto month = std::find(kMonths.begin(), kMonths.end(), prefix.substr(0, 3));
        if (month == kMonths.end())
            bad_time();
        const auto number = [&](std::size_t at, bool space_padded) {
            const char tens = prefix[at], ones = prefix[at + 1];
            if (!(ones >= '0' && ones <= '9') ||
                !((tens >= '0' && tens <= '9') || (space_padded && tens == ' ')))
                bad_time();
            return (tens == ' ' ? 0 : tens - '0') * 10 + (ones - '0');
        };
        const int day = number(4, true), hour = number(7, false), minute = number(10, false),
                  second = number(13, false);
        const CivilTime civil{{clock.year(), static_cast<unsigned>(month - kMonths.begin() + 1),
                               static_cast<unsigned>(day)},
                              static_cast<unsigned>(hour),
                              static_cast<unsigned>(minute),
                              static_cast<unsigned>(second)};
        if (!is_valid_date(civil.date) || hour > 23 || minute > 59 || second > 59)
            bad_time();
        const date::local_seconds local{std::chrono::seconds{seconds_from_civil(civil)}};
        std::size_t host = 16;
        while (host < prefix.size() && prefix[host] == ' ')
            ++host;
        if (host == prefix.size())
            fail("expected the host and program after the syslog time in " + excerpt(prefix));
        if (clock.zone() == nullptr)
            return local.time_since_epoch().count();
        const date::local_info info = clock.zone()->get_info(local);
        if (info.result == date::local_info::nonexistent) {
            throw NonexistentLocalTime(at_line(name_, line_,
                                               "the local time " + excerpt(prefix.substr(0, 15)) +
                                                   " does not exist in " + clock.zone()->name() +
                                                   " (the clock moved forward over it)"));
        }
        return clock.zone()->to_sys(local, date::choose::earliest).time_since_epoch().count();
    }

    // Consumes words[i] if it is `word`, else fails.
    void expect(const std::vector<std::string_view>& words, std::size_t i,
                std::string_view word) const {
        if (i >= words.size())
            fail("expected '" + std::string(word) + "' in the pool line, found its end");
        if (words[i] != word)
            fail("expected '" + std::string(word) + "' in the pool line, found " +
                 excerpt(words[i]));
    }

    template <typename Int>
    Int number(const std::vector<std::string_view>& words, std::size_t i, std::string_view after,
               std::string_view skip = {}) const {
        if (i >= words.size())
            fail("expected a number after '" + std::string(after) + "', found the line's end");
        std::string_view word = words[i];
        if (!word.starts_with(skip))
            fail("expected '" + std::string(skip) + "' and a number after '" + std::string(after) +
                 "', found " + excerpt(word));
        word.remove_prefix(skip.size());
        Int value{};
        const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
        if (ec != std::errc() || end != word.data() + word.size() || word.empty())
            fail("expected a number after '" + std::string(after) + "', found " +
                 excerpt(words[i]));
        return value;
    }

  private:
    const std::string& name_;
    std::uint64_t line_;
};

}  // namespace

LogClock::LogClock(int year, const std::string& zone) : year_(year) {
    if (zone.empty())
        return;
    try {
        zone_ = date::locate_zone(zone);
    } catch (const std::runtime_error&) {
        throw InputError("unknown time zone " + excerpt(zone));
    }
}

std::optional<PoolLine> parse_pool_line(std::string_view text, const LogClock& clock,
                                        const std::string& name, std::uint64_t line) {
    if (text.ends_with('\r'))
        text.remove_suffix(1);
    const MessageStart start = find_message(text);
    if (start.keyword == nullptr)
        return std::nullopt;
    const LineParser parser(name, line);

    PoolLine pool;
    pool.kind = start.keyword->kind;
    pool.line = line;
    if (start.at > 0)
        pool.timestamp = parser.syslog_time(text.substr(0, start.at - 2), clock);

    // "%lx %s  total %d  free %d  backup %d  lts %d  " then the kind's own tail; %s is the
    // shared network's name, possibly empty, so it is what lies between the address and the
    // last "  total ".
    std::string_view body = text.substr(start.at + start.keyword->text.size());
    const std::size_t id_end = body.find(' ');
    pool.pool_id = std::string(body.substr(0, id_end));
    if (pool.pool_id.empty() ||
        pool.pool_id.find_first_not_of("0123456789abcdef") != std::string::npos)
        parser.fail("expected the pool's address in hex after '" +
                    std::string(start.keyword->text.substr(0, start.keyword->text.size() - 1)) +
                    "', found " + excerpt(body.substr(0, id_end)));
    body = id_end == std::string_view::npos ? std::string_view() : body.substr(id_end + 1);
    const std::size_t total_at = body.rfind("  total ");
    if (total_at == std::string_view::npos)
        parser.fail("expected '  total ' after the pool's network in " + excerpt(body));
    pool.network = std::string(body.substr(0, total_at));

    const std::vector<std::string_view> words = split_words(body.substr(total_at));
    parser.expect(words, 0, "total");
    pool.total = parser.number<std::uint64_t>(words, 1, "total");
    parser.expect(words, 2, "free");
    pool.free = parser.number<std::uint64_t>(words, 3, "free");
    parser.expect(words, 4, "backup");
    pool.backup = parser.number<std::uint64_t>(words, 5, "backup");
    parser.expect(words, 6, "lts");
    pool.lts = parser.number<std::int64_t>(words, 7, "lts");
    std::size_t end = 10;
    if (pool.kind == PoolLineKind::balancing) {
        parser.expect(words, 8, "max-own");
        parser.number<std::int64_t>(words, 9, "max-own", "(+/-)");
        // dhcpd appends this when the pool is short enough to ask the peer for leases.
        constexpr std::array<std::string_view, 3> kRequest = {"(requesting", "peer", "rebalance!)"};
        if (words.size() > end && words[end] == kRequest[0]) {
            for (std::size_t i = 1; i < kRequest.size(); ++i)
                parser.expect(words, end + i, kRequest[i]);
            end += kRequest.size();
        }
    } else {
        parser.expect(words, 8, "max-misbal");
        parser.number<std::int64_t>(words, 9, "max-misbal");
    }
    if (words.size() > end)
        parser.fail("unexpected " + excerpt(words[end]) + " at the end of the pool line");
    return pool;
}

IscLogSummary read_isc_log(
    ByteSource& in, const std::string& name, const LogClock& clock,
    const std::function<void(const PoolLine&)>& on_pool,
    const std::function<void(std::string_view text, std::uint64_t line)>& on_other) {
    IscLogSummary summary;
    const auto handle = [&](std::string_view text) {
        ++summary.lines;
        if (auto pool = parse_pool_line(text, clock, name, summary.lines)) {
            ++summary.pool_lines;
            on_pool(*pool);
        } else {
            ++summary.skipped_lines;
            if (on_other)
                on_other(text, summary.lines);
        }
    };
    std::string pending;
    std::vector<char> buffer(1 << 16);
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) {
        pending.append(buffer.data(), n);
        std::size_t begin = 0;
        for (std::size_t nl; (nl = pending.find('\n', begin)) != std::string::npos; begin = nl + 1)
            handle(std::string_view(pending).substr(begin, nl - begin));
        pending.erase(0, begin);
        if (pending.size() > (1 << 20)) {
            throw InputError(at_line(name, summary.lines + 1,
                                     "a line longer than 1 MiB: this is not a dhcpd log"));
        }
    }
    if (!pending.empty())
        handle(pending);
    return summary;
}

std::optional<std::string> failover_move(std::string_view text, const std::string& peer) {
    const std::string head = "failover peer " + peer + ": I move from ";
    const auto at = text.find(head);
    if (at == std::string_view::npos)
        return std::nullopt;
    const std::string_view rest = text.substr(at + head.size());
    const auto to = rest.find(" to ");
    if (to == std::string_view::npos)
        return std::nullopt;
    std::string_view state = rest.substr(to + 4);
    while (!state.empty() && (state.back() == '\r' || state.back() == ' '))
        state.remove_suffix(1);
    return std::string(state);
}

namespace {

Sample pool_sample(const PoolLine& pool, const std::string& name, const IscLogOptions& options,
                   const std::string& state_word) {
    if (!pool.timestamp) {
        throw InputError(at_line(name, pool.line,
                                 "a pool line without a time: isc-log reads syslog lines "
                                 "(\"Nov 25 00:58:16 host dhcpd[123]: balancing pool ...\"), "
                                 "not dhcpd -d output"));
    }
    auto scope = normalise_scope(pool.network);
    if (!scope) {
        throw InputError(at_line(name, pool.line,
                                 "the pool belongs to shared network " + excerpt(pool.network) +
                                     ", not to one subnet; fostat records per subnet"));
    }
    if (pool.free + pool.backup > pool.total) {
        throw InputError(at_line(name, pool.line,
                                 "free " + std::to_string(pool.free) + " + backup " +
                                     std::to_string(pool.backup) + " is more than total " +
                                     std::to_string(pool.total)));
    }
    Sample s;
    s.timestamp = *pool.timestamp;
    s.server = options.server;
    s.scope = std::move(*scope);
    s.relationship.name = options.relationship;
    s.relationship.role = options.primary ? "primary" : "secondary";
    s.relationship.expected_share = 50;  // dhcpd balances free leases evenly
    if (!state_word.empty()) {
        s.relationship.state = normalise_state(state_word).value_or(State::unknown);
        if (state_word != to_string(s.relationship.state))
            s.relationship.source_state = state_word;
    }
    Counters& c = s.counters;
    c[Counter::num_addr] = pool.total;
    c[Counter::addr_free] = pool.free + pool.backup;
    c[Counter::addr_in_use] = pool.total - pool.free - pool.backup;
    c[Counter::this_addr_free] = options.primary ? pool.free : pool.backup;
    c[Counter::partner_addr_free] = options.primary ? pool.backup : pool.free;
    return s;
}

}  // namespace

IscLogSummary isc_log_samples(ByteSource& in, const std::string& name, const LogClock& clock,
                              const IscLogOptions& options, SampleSink& sink) {
    // The latest sample of each scope and its line, held until a later time shows it is final.
    std::map<std::string, std::pair<Sample, std::uint64_t>> pending;
    // What the sink refuses (a conflict, an impossible time) is named by the sample's line.
    const auto deliver = [&](const Sample& s, std::uint64_t line) {
        try {
            sink.add(s);
        } catch (const InputError& e) {
            throw InputError(at_line(name, line, e.what()));
        }
    };
    std::string state;  // this server's failover state, as the log last said
    const auto on_other = [&](std::string_view text, std::uint64_t line) {
        if (options.relationship.empty())
            return;
        if (auto moved = failover_move(text, options.relationship)) {
            // Stored as the sample's source_state when it is not one of fostat's words.
            if (auto problem = name_problem(*moved))
                throw InputError(at_line(name, line, "failover state: " + *problem));
            state = std::move(*moved);
        }
    };
    const auto on_pool = [&](const PoolLine& pool) {
        Sample s = pool_sample(pool, name, options, state);
        auto [it, fresh] = pending.try_emplace(s.scope);
        if (!fresh && it->second.first.timestamp != s.timestamp)
            deliver(it->second.first, it->second.second);  // a later time: the held one is final
        it->second = {std::move(s), pool.line};
    };
    const IscLogSummary summary = read_isc_log(in, name, clock, on_pool, on_other);
    for (const auto& [scope, held] : pending)
        deliver(held.first, held.second);
    return summary;
}

}  // namespace fostat
