// The whole site at a glance (`fostat-query report`, docs/report.md): every scope with its
// latest figures, the findings of status, check and imbalance, and its history reduced to a
// few columns for a sparkline and a chart; scopes ordered by risk. src/reports/html_report.h
// writes it as one HTML page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyses/analysis.h"
#include "analyses/check.h"
#include "analyses/imbalance.h"
#include "analyses/plot.h"
#include "analyses/status.h"
#include "analyses/trend.h"

namespace SQLite {
class Database;
}

namespace fostat {

struct SiteReportOptions {
    StatusOptions status;        // the levels, --stale and now
    TrendOptions forecast;       // warn_within, critical_within
    ImbalanceOptions imbalance;  // the imbalance command's defaults
    // Columns of each scope's history: the chart's resolution. The sparkline takes every
    // third.
    int columns = 120;
};

// A finding about one scope, from status, check or imbalance.
struct ScopeFinding {
    Severity severity = Severity::info;
    std::string
        what;  // "starved", "imbalance", "sum-free", ..., "utilization", "runs out", "stale"
    std::string server;      // empty when it is the scope's
    std::int64_t first = 0;  // the episode; first == last for a finding at one instant
    std::int64_t last = 0;
    std::string text;  // "starved 2 h, free share 0 % (expected 50 %)"
};

// One server's view of a scope.
struct ServerRow {
    // The latest sample, utilization, runs_out, severity. Its point's relationship pointer is
    // null (it belonged to the reader): the snapshot is `relationship`.
    ScopeStatus status;
    Relationship relationship;
    std::optional<double> peak;  // the highest utilization in the window, percent
    std::int64_t peak_at = 0;
    // Per column of the window: the highest utilization (percent), the fewest own free
    // addresses, the fewest own and partner free addresses of a sample (the stack plot draws,
    // its partner's on top of its own); nullopt where the column has no sample with the value.
    std::vector<std::optional<double>> utilization;
    std::vector<std::optional<double>> own_free;
    std::vector<std::optional<double>> stacked_free;
    // The largest stack and num_addr of a sample in the window: ScopeRow::free_max.
    double stack_max = 0;
    double size = 0;
    // trend's forecast of its own free addresses as plot draws it, on the scope's axis.
    std::optional<PlotForecast> own_forecast;
};

struct ScopeRow {
    std::string scope;
    std::vector<ServerRow> servers;            // in server order
    std::vector<ScopeFinding> findings;        // worst first, then by time
    std::optional<Severity> worst;             // of the findings
    bool starved = false;                      // a starved episode in the window
    std::optional<std::int64_t> runs_out;      // the earliest of the servers' runs_out
    std::optional<double> utilization;         // the highest of the servers' latest
    std::optional<double> peak;                // the highest of the servers' peaks
    double free_max = 1;                       // the top of the free-address bands (plot's)
    std::vector<PlotSizeChange> size_changes;  // check's, as plot draws them
    // trend's forecast of the scope's utilization as plot draws it, on an axis that runs
    // from SiteReport::start to axis_end (forecast_axis_end of this forecast and the
    // servers' own): nullopt when there is none.
    std::optional<PlotForecast> forecast;
    std::int64_t axis_end = 0;
};

// A failover relationship as its servers last reported it.
struct RelationshipRow {
    std::string name;  // empty for samples without one
    Mode mode = Mode::load_balance;
    struct Member {
        std::string server;
        std::string role;
        State state = State::unknown;
        double expected_share = 0;
    };
    std::vector<Member> members;  // in server order
    std::size_t scopes = 0;
};

// A server's newest sample (whatever the window) and the gaps in its collection.
struct ServerHealth {
    std::string server;
    std::int64_t newest = 0;
    std::int64_t gaps = 0;  // check's gap episodes in the window, all its scopes
    bool stale = false;     // older than StatusOptions::stale_after at now
};

struct SiteReport {
    std::int64_t start = 0;  // the window: the first and last sample read
    std::int64_t end = 0;
    std::int64_t now = 0;
    int columns = 0;
    std::vector<ServerHealth> servers;
    std::vector<RelationshipRow> relationships;       // by name
    std::vector<ScopeRow> scopes;                     // by risk: the riskiest first
    std::vector<ImbalanceEpisode> episodes;           // imbalance's, in its order
    std::vector<Violation> violations;                // check's, in its order (at_worst's
                                                      // relationship pointers null)
    std::size_t critical = 0, warning = 0, info = 0;  // findings by severity
    WorstSeverity worst;
};

// The column of time t in [start, end] of `columns` columns.
int report_column(std::int64_t t, std::int64_t start, std::int64_t end, int columns);

// Orders scopes by risk: the worst severity first; then starved ones; then the earliest date
// free addresses run out; then the highest utilization; then the most findings; then by
// address. A strict weak ordering.
bool riskier(const ScopeRow& a, const ScopeRow& b);

// Reads the filter's samples and runs status (with forecasts), check and imbalance on them.
// REQUIRES: options.columns > 0, the window holds samples (require_samples). Throws
// StorageError as the analyses do.
SiteReport make_site_report(SQLite::Database& db, const SeriesFilter& filter,
                            const SiteReportOptions& options);

}  // namespace fostat
