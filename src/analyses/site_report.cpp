#include "analyses/site_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <span>
#include <tuple>

#include <SQLiteCpp/Database.h>

#include "fostat/time_text.h"

namespace fostat {
namespace {

std::string percent_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %%", v);
    return text;
}

// Worst first, then by time, then by server.
bool finding_before(const ScopeFinding& a, const ScopeFinding& b) {
    return std::tie(b.severity, a.first, a.server, a.what) <
           std::tie(a.severity, b.first, b.server, b.what);
}

void status_findings(const ScopeStatus& s, const StatusOptions& levels,
                     std::vector<ScopeFinding>& out) {
    const std::string& server = s.series.server;
    const std::int64_t at = s.latest.timestamp;
    if (s.stale)
        out.push_back({Severity::warning, "stale", server, at, at, "no sample since"});
    if (s.utilization && *s.utilization >= levels.warning) {
        const bool critical = *s.utilization >= levels.critical;
        out.push_back({critical ? Severity::critical : Severity::warning, "utilization", server, at,
                       at,
                       percent_text(*s.utilization) + " in use, at or above " +
                           (critical ? "critical " + percent_text(levels.critical)
                                     : "warning " + percent_text(levels.warning))});
    }
    if (s.forecast_severity && s.runs_out) {
        out.push_back({*s.forecast_severity, "runs out", server, *s.runs_out, *s.runs_out,
                       s.runs_out_own ? "its own free addresses run out (earliest likely)"
                                      : "the scope's free addresses run out (earliest likely)"});
    }
}

// What check's episode.worst means for each kind of rule (check.h).
ScopeFinding violation_finding(const Violation& v) {
    const auto worst = static_cast<long long>(v.episode.worst);
    char text[128];
    if (v.rule == Rule::gap) {
        std::snprintf(text, sizeof text, "no sample for %s",
                      format_duration(static_cast<std::int64_t>(v.episode.worst)).c_str());
    } else if (v.rule == Rule::size_change) {
        std::snprintf(text, sizeof text, "num_addr %s by %lld", worst < 0 ? "shrank" : "grew",
                      worst < 0 ? -worst : worst);
    } else {
        std::snprintf(text, sizeof text, "%lld sample%s, off by up to %lld addresses",
                      static_cast<long long>(v.episode.samples), v.episode.samples == 1 ? "" : "s",
                      worst);
    }
    return {severity_of(v.rule),
            std::string(to_string(v.rule)),
            v.server,
            v.episode.first,
            v.episode.last,
            text};
}

ScopeFinding imbalance_finding(const ImbalanceEpisode& e) {
    std::string text;
    if (e.kind == ImbalanceKind::starved) {
        text = "no free addresses of its own";
    } else if (e.worst_deviation) {
        char buffer[128];
        std::snprintf(buffer, sizeof buffer, "free share %.1f points below the expected %.0f %%%s",
                      -*e.worst_deviation, e.expected_share,
                      e.stalled ? ", rebalance stalled" : "");
        text = buffer;
    }
    return {e.severity, std::string(to_string(e.kind)), e.server, e.first, e.last, text};
}

// The history of one series, reduced to `columns` columns of the report's window.
void read_history(SampleReader& reader, const Series& series, const SeriesFilter& filter,
                  std::int64_t start, std::int64_t end, int columns, ServerRow& row) {
    row.utilization.assign(static_cast<std::size_t>(columns), std::nullopt);
    row.own_free.assign(static_cast<std::size_t>(columns), std::nullopt);
    row.stacked_free.assign(static_cast<std::size_t>(columns), std::nullopt);
    const auto keep_max = [](std::optional<double>& slot, double v) {
        if (!slot || v > *slot)
            slot = v;
    };
    const auto keep_min = [](std::optional<double>& slot, double v) {
        if (!slot || v < *slot)
            slot = v;
    };
    reader.for_each(series, filter, [&](const Sample& s) {
        const auto c = static_cast<std::size_t>(report_column(s.timestamp, start, end, columns));
        const auto& n = s.counters[Counter::num_addr];
        const auto& used = s.counters[Counter::addr_in_use];
        if (n && used && *n > 0) {
            const double u =
                std::min(100.0, 100.0 * static_cast<double>(*used) / static_cast<double>(*n));
            keep_max(row.utilization[c], u);
            if (!row.peak || u > *row.peak) {
                row.peak = u;
                row.peak_at = s.timestamp;
            }
        }
        if (n)
            row.size = std::max(row.size, static_cast<double>(*n));
        const auto& own = s.counters[Counter::this_addr_free];
        const auto& partner = s.counters[Counter::partner_addr_free];
        if (own)
            keep_min(row.own_free[c], static_cast<double>(*own));
        if (own && partner) {
            const double stack = static_cast<double>(*own) + static_cast<double>(*partner);
            keep_min(row.stacked_free[c], stack);
            row.stack_max = std::max(row.stack_max, stack);
        }
    });
}

std::vector<RelationshipRow> relationships_of(const std::vector<ScopeRow>& scopes) {
    std::map<std::string, RelationshipRow> by_name;
    for (const ScopeRow& scope : scopes) {
        std::vector<std::string> counted;  // relationships of this scope
        for (const ServerRow& s : scope.servers) {
            const Relationship& r = s.relationship;
            RelationshipRow& row = by_name[r.name];
            row.name = r.name;
            row.mode = r.mode;
            const std::string& server = s.status.series.server;
            auto member = std::find_if(row.members.begin(), row.members.end(),
                                       [&](const auto& m) { return m.server == server; });
            if (member == row.members.end()) {
                row.members.push_back({server, r.role, r.state, r.expected_share});
            } else if (r.state != State::normal) {
                member->state = r.state;  // a scope not in normal state shows
            }
            if (std::find(counted.begin(), counted.end(), r.name) == counted.end()) {
                counted.push_back(r.name);
                ++row.scopes;
            }
        }
    }
    std::vector<RelationshipRow> rows;
    for (auto& [name, row] : by_name) {
        std::sort(row.members.begin(), row.members.end(),
                  [](const auto& a, const auto& b) { return a.server < b.server; });
        rows.push_back(std::move(row));
    }
    return rows;
}

// The forecasts of each scope's chart from trend's `lines` (each scope's, then its servers'):
// the scope's utilization and its servers' own free addresses, on an axis long enough for
// their dates.
void add_drawn_forecasts(const std::vector<TrendLine>& lines, std::int64_t as_of,
                         SiteReport& report, const std::map<std::string, std::size_t>& index) {
    for (std::size_t i = 0; i < lines.size();) {
        std::size_t next = i + 1;
        while (next < lines.size() && lines[next].scope == lines[i].scope &&
               !lines[next].server.empty())
            ++next;
        const std::span<const TrendLine> scope_lines(lines.data() + i, next - i);
        i = next;
        const auto at = index.find(scope_lines.front().scope);
        if (at == index.end())
            continue;
        ScopeRow& row = report.scopes[at->second];
        std::vector<std::int64_t> dates;
        for (const TrendLine& line : scope_lines)
            add_forecast_dates(line, dates);
        row.axis_end = forecast_axis_end(report.start, report.end, dates);
        row.forecast = utilization_forecast(scope_lines.front(), as_of, report.start, row.axis_end);
        for (const TrendLine& line : scope_lines.subspan(1)) {
            for (ServerRow& s : row.servers) {
                if (s.status.series.server == line.server)
                    s.own_forecast =
                        own_free_forecast(line, as_of, row.free_max, report.start, row.axis_end);
            }
        }
    }
    for (ScopeRow& row : report.scopes)
        row.axis_end = std::max(row.axis_end, report.end);
}

}  // namespace

int report_column(std::int64_t t, std::int64_t start, std::int64_t end, int columns) {
    if (end <= start || t <= start)
        return 0;
    if (t >= end)
        return columns - 1;
    const auto c = static_cast<int>(static_cast<double>(t - start) * columns /
                                    static_cast<double>(end - start));
    return std::clamp(c, 0, columns - 1);
}

bool riskier(const ScopeRow& a, const ScopeRow& b) {
    const auto rank = [](const std::optional<Severity>& s) {
        return s ? static_cast<int>(*s) + 1 : 0;
    };
    if (rank(a.worst) != rank(b.worst))
        return rank(a.worst) > rank(b.worst);
    if (a.starved != b.starved)
        return a.starved;
    if (a.runs_out != b.runs_out) {
        if (!a.runs_out || !b.runs_out)
            return a.runs_out.has_value();
        return *a.runs_out < *b.runs_out;
    }
    const double ua = a.utilization.value_or(-1), ub = b.utilization.value_or(-1);
    if (ua != ub)
        return ua > ub;
    if (a.findings.size() != b.findings.size())
        return a.findings.size() > b.findings.size();
    return scope_less(a.scope, b.scope);
}

SiteReport make_site_report(SQLite::Database& db, const SeriesFilter& filter,
                            const SiteReportOptions& options) {
    SiteReport report;
    report.now = options.status.now;
    report.columns = options.columns;
    SampleReader reader(db);

    StatusResult status = scope_status(reader, filter, options.status);
    std::vector<TrendLine> lines;  // each scope's, then its servers'
    add_forecasts(db, filter, options.forecast, status, &lines);
    const CheckResult check = check_invariants(reader, filter, CheckOptions{});
    ImbalanceResult imbalance = find_imbalance(reader, filter, options.imbalance);

    // The window: from the first sample read to the last.
    bool any = false;
    for (const ScopeStatus& s : status.scopes) {
        if (const auto summary = reader.summary(s.series, filter)) {
            report.start = any ? std::min(report.start, summary->first) : summary->first;
            report.end = any ? std::max(report.end, summary->last) : summary->last;
            any = true;
        }
    }

    std::map<std::string, std::size_t> index;  // scope -> its row
    const auto row_of = [&](const std::string& scope) -> ScopeRow& {
        auto [at, added] = index.try_emplace(scope, report.scopes.size());
        if (added) {
            report.scopes.emplace_back();
            report.scopes.back().scope = scope;
        }
        return report.scopes[at->second];
    };
    for (ScopeStatus& s : status.scopes) {
        ScopeRow& row = row_of(s.series.scope);
        status_findings(s, options.status, row.findings);
        ServerRow server;
        server.relationship = *s.latest.relationship;
        server.status = std::move(s);
        server.status.latest.relationship = nullptr;
        row.servers.push_back(std::move(server));
    }
    // The histories, the bulk of the reading, on the analyses' threads: each writes its own row.
    std::vector<ServerRow*> histories;
    for (ScopeRow& row : report.scopes) {
        for (ServerRow& server : row.servers)
            histories.push_back(&server);
    }
    parallel_for_each(reader, histories.size(), 0, [&](SampleReader& thread_reader, std::size_t i) {
        ServerRow& server = *histories[i];
        read_history(thread_reader, server.status.series, filter, report.start, report.end,
                     options.columns, server);
    });
    // Every analysis read the same series, so each finding's scope has its row already; one
    // that had not would get an empty one rather than be lost.
    for (const Violation& v : check.violations) {
        ScopeRow& row = row_of(v.scope);
        row.findings.push_back(violation_finding(v));
        if (v.rule == Rule::size_change)
            add_size_change(v, row.size_changes);
    }
    for (const ImbalanceEpisode& e : imbalance.episodes) {
        ScopeRow& row = row_of(e.scope);
        row.findings.push_back(imbalance_finding(e));
        row.starved = row.starved || e.kind == ImbalanceKind::starved;
    }

    for (ScopeRow& row : report.scopes) {
        std::sort(row.findings.begin(), row.findings.end(), finding_before);
        for (const ScopeFinding& f : row.findings) {
            if (!row.worst || f.severity > *row.worst)
                row.worst = f.severity;
            report.worst.add(f.severity);
            (f.severity == Severity::critical  ? report.critical
             : f.severity == Severity::warning ? report.warning
                                               : report.info)++;
        }
        double stack_max = 0, size = 0;
        for (const ServerRow& s : row.servers) {
            const ScopeStatus& st = s.status;
            if (st.runs_out && (!row.runs_out || *st.runs_out < *row.runs_out))
                row.runs_out = st.runs_out;
            if (st.utilization)
                row.utilization = std::max(row.utilization.value_or(0), *st.utilization);
            if (s.peak)
                row.peak = std::max(row.peak.value_or(0), *s.peak);
            stack_max = std::max(stack_max, s.stack_max);
            size = std::max(size, s.size);
        }
        row.free_max = free_band_top(stack_max, size);
    }
    add_drawn_forecasts(lines, status.as_of, report, index);
    std::sort(report.scopes.begin(), report.scopes.end(), riskier);

    report.relationships = relationships_of(report.scopes);
    for (const ServerNewest& n : reader.newest_by_server(filter)) {
        ServerHealth health{n.server, n.newest};
        for (const Violation& v : check.violations)
            health.gaps += v.rule == Rule::gap && v.server == n.server;
        health.stale = options.status.stale_after &&
                       options.status.now - n.newest > *options.status.stale_after;
        if (health.stale)
            report.worst.add(Severity::warning);
        report.servers.push_back(std::move(health));
    }
    report.episodes = std::move(imbalance.episodes);
    report.violations = check.violations;
    for (Violation& v : report.violations)
        v.episode.at_worst.relationship = nullptr;
    return report;
}

}  // namespace fostat
