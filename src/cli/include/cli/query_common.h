// What every fostat-query command does before and after its analysis.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "analyses/analysis.h"
#include "cli/option_values.h"
#include "cli/options.h"
#include "storage/database.h"
#include "storage/sample_reader.h"

namespace fostat {

struct TrendOptions;

struct QueryContext {
    std::unique_ptr<SQLite::Database> db;
    ReadTransaction read;  // on db, for the whole query; ends before db closes
    SeriesFilter filter;
    OutputFormat format;
    TimeFormatter time;
    Output output;
    std::int64_t now = 0;  // the clock the window's relative times were read against
};

// Checks the options, opens the database read-only and the output. A --server or --scope
// that names nothing stored is refused (InputError), with the stored name closest to it.
// `openmetrics`: the command writes --format openmetrics (status); the others refuse it.
QueryContext open_query(const QueryOptions& options, bool openmetrics = false);

// For the checks (status, trend, check, imbalance), which must not say OK about what they
// cannot see (docs/design.md § Exit status): throws Error when the window holds no sample of
// what was asked.
// `rollups_count`: a day whose raw samples were pruned counts through its rollup (trend
// reads rollups; the others read raw samples only).
void require_samples(QueryContext& q, const QueryOptions& options, bool rollups_count = false);

// --stale DURATION of the checks.
void add_stale_option(CLI::App& app, DurationValue& stale);
// The --stale duration, or nullopt when not given. Throws InputError naming the option.
std::optional<std::int64_t> parse_stale(const DurationValue& stale);

// --warning and --critical: utilization thresholds in percent, which status judges by and
// plot draws.
struct UtilizationLevels {
    double warning = 80;
    double critical = 90;
};
struct LevelOptions {
    UtilizationLevels given;
    CLI::Option* warning = nullptr;
    CLI::Option* critical = nullptr;
};
void add_level_options(CLI::App& app, LevelOptions& levels);
// The levels after parsing: one given alone moves the other's default out of its way
// (--warning 95 alone means critical at 95 too, --critical 70 alone warning at 70). Throws
// InputError naming the option when one is not 0 to 100, or warning is above critical.
UtilizationLevels levels_of(const LevelOptions& levels);

// --warn-within and --critical-within of the checks that forecast (trend, status): how soon
// the earliest likely exhaustion date (docs/analyses.md, Forecasts) is a warning, and
// critical.
struct ForecastWindowArgs {
    DurationValue warn_within{"30d"};
    DurationValue critical_within{"7d"};
    CLI::Option* warn = nullptr;  // set by add_forecast_window_options
    CLI::Option* critical = nullptr;
};
void add_forecast_window_options(CLI::App& app, ForecastWindowArgs& args);
// Sets options.warn_within and options.critical_within. One given alone moves the other's
// default out of its way; given both, --critical-within must not be longer. Throws
// InputError naming the option. REQUIRES: add_forecast_window_options(args), and the
// command line parsed.
void parse_forecast_windows(const ForecastWindowArgs& args, TrendOptions& options);

// What the checks trend, check and imbalance do around their analysis: opens the query
// (open_query), requires samples (require_samples, with `rollups_count`), and calls
// `analyse`, which writes its report to q.output and returns its worst finding. Then, when
// --stale was given (`stale`), reports each server whose newest stored sample, whatever the
// window, is older than that: below the table, or on standard error beside CSV and JSON.
// Finishes the output. Returns the worst finding's exit status, raised to at least 1 (a
// warning, docs/cli.md) by a stale server.
int run_check_command(const QueryOptions& options, const DurationValue& stale, bool rollups_count,
                      const std::function<WorstSeverity(QueryContext&)>& analyse);

}  // namespace fostat
