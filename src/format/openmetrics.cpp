#include "format/openmetrics.h"

#include <array>
#include <cmath>
#include <vector>

#include "format/canonical_csv.h"
#include "query/status.h"

namespace fostat {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not one (overlong
// forms, surrogates and code points above U+10FFFF are not).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;  // overlong below
        if (c == 0xED)
            high = 0x9F;  // surrogates above
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        if (c == 0xF4)
            high = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    }
    return length;
}

// Escapes as the OpenMetrics ABNF has it for label values and HELP: \\, \" and \n.
void append_escaped(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
            ++i;
        } else if (c == '\n') {
            out += "\\n";
            ++i;
        } else if (const std::size_t n = utf8_sequence(text, i)) {
            out.append(text, i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD for one byte that is not UTF-8
            ++i;
        }
    }
}

void append_value(std::string& out, std::variant<std::int64_t, double> value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*i);
        return;
    }
    const double d = std::get<double>(value);
    if (std::isnan(d))
        out += "NaN";
    else if (std::isinf(d))
        out += d > 0 ? "+Inf" : "-Inf";
    else
        append_decimal(out, d);
}

struct CounterMetric {
    Counter counter;
    std::string_view name;
    std::string_view help;
};

// Prometheus' conventions: a gauge has no _total (that is a counter's), a count of things
// is named after the things, ratios are 0 to 1 with _ratio, times are _seconds. The seven
// share one prefix, as node_filesystem_files and node_filesystem_files_free do; summing
// them with one another would mean nothing, so they are not one metric with a label.
constexpr std::array<CounterMetric, kCounterCount> kCounterMetrics = {{
    {Counter::num_addr, "fostat_scope_addresses",
     "Addresses of the scope in the failover relationship (num_addr, Windows NumAddr)."},
    {Counter::addr_free, "fostat_scope_addresses_free",
     "Free addresses that can be leased out (addr_free, AddrFree)."},
    {Counter::addr_in_use, "fostat_scope_addresses_in_use",
     "Addresses leased out to clients (addr_in_use, AddrInUse)."},
    {Counter::partner_addr_free, "fostat_scope_addresses_free_partner",
     "Free addresses owned by the partner of the server (partner_addr_free, PartnerAddrFree)."},
    {Counter::this_addr_free, "fostat_scope_addresses_free_this",
     "Free addresses owned by the server itself (this_addr_free, ThisAddrFree)."},
    {Counter::partner_addr_in_use, "fostat_scope_addresses_in_use_partner",
     "Addresses leased out by the partner of the server (partner_addr_in_use, "
     "PartnerAddrInUse)."},
    {Counter::this_addr_in_use, "fostat_scope_addresses_in_use_this",
     "Addresses leased out by the server itself (this_addr_in_use, ThisAddrInUse)."},
}};

// As exit_status() counts a row: info never happens in status, unknown utilization is 0.
std::int64_t severity_value(const ScopeStatus& s) {
    if (s.severity == Severity::critical)
        return 2;
    if (s.severity == Severity::warning)
        return 1;
    return 0;
}

}  // namespace

void OpenMetricsWriter::gauge(std::string_view name, std::string_view help, std::string_view unit) {
    name_.assign(name);
    line_ = "# HELP ";
    line_ += name;
    line_ += ' ';
    append_escaped(line_, help);
    line_ += "\n# TYPE ";
    line_ += name;
    line_ += " gauge\n";
    if (!unit.empty()) {
        line_ += "# UNIT ";
        line_ += name;
        line_ += ' ';
        line_ += unit;
        line_ += '\n';
    }
    out_ << line_;
}

void OpenMetricsWriter::sample(std::string_view labels, std::variant<std::int64_t, double> value,
                               std::optional<std::int64_t> timestamp) {
    line_ = name_;
    line_ += labels;
    line_ += ' ';
    append_value(line_, value);
    if (timestamp) {
        line_ += ' ';
        line_ += std::to_string(*timestamp);
    }
    line_ += '\n';
    out_ << line_;
}

void OpenMetricsWriter::finish() {
    out_ << "# EOF\n";
}

std::string label_set(std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
    std::string out = "{";
    for (const auto& [name, value] : labels) {
        if (out.size() > 1)
            out.push_back(',');
        out += name;
        out += "=\"";
        append_escaped(out, value);
        out.push_back('"');
    }
    out.push_back('}');
    return out;
}

void write_status_openmetrics(std::ostream& out, const StatusResult& result, bool timestamps) {
    // The labels of each row, escaped once.
    std::vector<std::string> labels;
    labels.reserve(result.scopes.size());
    for (const ScopeStatus& s : result.scopes) {
        const Relationship& r = *s.latest.relationship;
        labels.push_back(label_set({{"server", s.series.server},
                                    {"relationship", r.name},
                                    {"scope", s.series.scope},
                                    {"mode", to_string(r.mode)},
                                    {"state", to_string(r.state)}}));
    }
    const auto when = [&](const ScopeStatus& s) {
        return timestamps ? std::optional(s.latest.timestamp) : std::nullopt;
    };

    OpenMetricsWriter w(out);
    for (const CounterMetric& m : kCounterMetrics) {
        w.gauge(m.name, m.help);
        for (std::size_t i = 0; i < result.scopes.size(); ++i) {
            const ScopeStatus& s = result.scopes[i];
            if (const auto& v = s.latest.counters[m.counter])  // NULL: no sample, never 0
                w.sample(labels[i], static_cast<std::int64_t>(*v), when(s));
        }
    }
    w.gauge("fostat_scope_utilization_ratio",
            "Addresses in use over addresses of the scope, 0 to 1 (status's used %); left out "
            "when either is unknown or the scope has no addresses.",
            "ratio");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.utilization)
            w.sample(labels[i], *s.utilization / 100, when(s));
    }
    w.gauge("fostat_scope_expected_share_ratio",
            "The share of the free addresses the server should hold, 0 to 1: its load-balance "
            "percentage, or the reserve of a hot-standby standby.",
            "ratio");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.relationship->expected_share / 100, when(s));
    }
    w.gauge("fostat_scope_severity",
            "The status of the scope and server as the exit status of status counts it: 0 ok "
            "(or utilization unknown), 1 warning (or older than --stale), 2 critical.");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], severity_value(s), when(s));
    }
    w.gauge("fostat_scope_sample_timestamp_seconds",
            "When the latest sample was taken, in seconds since 1970-01-01T00:00:00Z.", "seconds");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.timestamp, when(s));
    }
    // A time, not the seconds left: a textfile collector serves the same file for minutes,
    // and the time stays true while it does.
    w.gauge("fostat_scope_earliest_exhaustion_timestamp_seconds",
            "The earliest likely time (1 in 10 sooner) at which the free addresses of the scope, "
            "or the server's own, run out (status's runs out), in seconds since "
            "1970-01-01T00:00:00Z; left out with too short a history or beyond the horizon.",
            "seconds");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.runs_out)
            w.sample(labels[i], *s.runs_out, when(s));
    }
    w.finish();
}

}  // namespace fostat
