#include "reports/trend_report.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <string_view>
#include <vector>

#include "fostat/text.h"
#include "fostat/time_text.h"

namespace fostat {
namespace {

std::string bucket_name(std::int64_t bucket) {
    return bucket == kHourSeconds ? "1h" : bucket == kDaySeconds ? "1d" : "1w";
}

Cell optional_cell(std::optional<double> v) {
    return v ? Cell(*v) : Cell();
}

Cell rounded(std::optional<double> v, double scale) {
    if (!v)
        return Cell();
    const double r = std::round(*v * scale) / scale;
    return Cell(r == 0 ? 0.0 : r);  // never "-0"
}

Cell time_cell(std::optional<std::int64_t> t, const TimeFormatter& time) {
    return t ? Cell(time.format(*t)) : Cell();
}

// A bucket's start, as short as its length allows: the date, or the date and hour.
std::string bucket_text(std::int64_t start, std::int64_t bucket, const TimeFormatter& time) {
    return time.format(start).substr(0, bucket == kHourSeconds ? 13 : 10);
}

// "254 -> 510", or "254 -> 264 -> 254" for a change that went back.
std::string size_path(const SizeChange& c) {
    std::string path = std::to_string(c.from) + " -> ";
    if (c.from == c.to)
        path += std::to_string(c.high != c.from ? c.high : c.low) + " -> ";
    return path + std::to_string(c.to);
}

std::string size_change_text(const SizeChange& c, const TimeFormatter& time) {
    return "num_addr " + size_path(c) + " between " + time.format(c.after) + " and " +
           time.format(c.by);
}

std::string size_changes_text(const TrendLine& line, const TimeFormatter& time) {
    std::string out;
    for (const SizeChange& c : line.size_changes)
        out += (out.empty() ? "" : "; ") + size_change_text(c, time);
    return out;
}

std::string flags(const TrendLine& line) {
    std::string out;
    const auto flag = [&](std::string_view f) { out += (out.empty() ? "" : " ") + std::string(f); };
    if (line.severity)
        flag(*line.severity == Severity::critical ? "crit" : "warn");
    if (own_runs_out_first(line))
        flag("own");
    if (!line.size_changes.empty())
        flag("size");
    if ((line.server.empty() ? line.fit : line.own_fit) == "short")
        flag("short");
    return out;
}

// The line's name in the table's first column: the scope, or an indented server below it.
std::string line_name(const TrendLine& line) {
    return line.server.empty() ? line.scope : "  " + line.server;
}

// "2026-11-17 00:55" in the formatter's zone.
std::string short_time(std::int64_t t, const TimeFormatter& time) {
    std::string text = time.format(t).substr(0, 16);
    text[10] = ' ';
    return text;
}

// What the flags own and size stand for, scope by scope, within 80 columns.
void write_notes(std::ostream& s, const TrendResult& result, const TrendOptions& options,
                 const TimeFormatter& time) {
    // A scope line whose crit or warn comes from a server's own pool, not from its columns.
    const auto own_severity = [&](const TrendLine& line) {
        return line.severity &&
               forecast_severity(line.earliest, result.as_of, options) != line.severity;
    };
    std::vector<const TrendLine*> scopes;
    std::size_t width = 0;
    for (const TrendLine& line : result.lines) {
        if (line.server.empty() && (own_runs_out_first(line) || own_severity(line) ||
                                    !line.size_changes.empty() || line.fit == "short")) {
            scopes.push_back(&line);
            width = std::max(width, display_width(terminal_text(line.scope)));
        }
    }
    // Names as the table above shows them (formats/result_writer.h): escaped, in display columns.
    const auto name = [&](const TrendLine& line) {
        const std::string scope = terminal_text(line.scope);
        return "  " + scope + std::string(width - display_width(scope) + 2, ' ');
    };
    // The scopes that `holds` for, under `heading`, each with its own pool's server and date.
    const auto own_note = [&](const char* heading, const auto& holds,
                              std::optional<std::int64_t> TrendLine::*date) {
        bool first = true;
        for (const TrendLine* line : scopes) {
            if (!holds(*line))
                continue;
            if (first)
                s << heading << '\n';
            first = false;
            s << name(*line) << terminal_text(line->own_server) << " on "
              << time.format(*(line->*date)).substr(0, 10) << '\n';
        }
    };
    own_note("own: a server's own free addresses run out first", own_runs_out_first,
             &TrendLine::own_exhaustion);
    own_note("crit, warn: from a server's own free addresses, earliest likely", own_severity,
             &TrendLine::own_earliest);
    bool heading = false;
    for (const TrendLine* line : scopes) {
        for (const SizeChange& c : line->size_changes) {
            if (!heading)
                s << "size: num_addr changed: the forecast runs to the new size, and may step "
                     "there\n";
            heading = true;
            s << name(*line) << size_path(c) << " in " << short_time(c.after, time) << " .. "
              << short_time(c.by, time) << '\n';
        }
    }
    heading = false;
    for (const TrendLine* line : scopes) {
        if (line->fit != "short")
            continue;
        if (!heading)
            s << "short: a forecast needs " << kForecastMinDays
              << " days whose samples span 20 hours or more\n";
        heading = true;
        s << name(*line) << line->forecast_days << (line->forecast_days == 1 ? " day" : " days")
          << '\n';
    }
}

// The table fits 80 columns: one line per scope (and server), utilization rounded to 0.1 %,
// dates without time, flags for what the notes below it explain. Written scope by scope as
// the run yields them; the result keeps the scopes' lines (which hold no buckets) for
// the notes.
TrendResult write_table(std::ostream& s, const TrendReportOptions& report,
                        const TimeFormatter& time, const TrendRun& run) {
    const TrendOptions& options = report.analysis;
    TrendResult result;
    std::vector<TrendLine> scope_lines;
    {
        auto out = make_result_writer(OutputFormat::table, s);
        out->begin({options.per_server ? "scope / server" : "scope", "util %", "peak %", "growth/d",
                    "runs out", "earliest", "notes"});
        const auto date = [&](std::optional<std::int64_t> at, bool fitted) -> Cell {
            if (!fitted)
                return std::string("-");
            return at ? time.format(*at).substr(0, 10) : "> " + report.horizon;
        };
        const auto row = [&](const TrendResult&, std::span<TrendLine> lines, TrendBuckets&) {
            for (TrendLine& line : lines) {
                const bool scope = line.server.empty();
                const bool fitted = (scope ? line.fit : line.own_fit) != "short";
                out->row({line_name(line), rounded(line.utilization, 10), rounded(line.peak, 10),
                          rounded(scope ? line.slope : line.own_slope, 100),
                          date(scope ? line.exhaustion : line.own_exhaustion, fitted),
                          date(scope ? line.earliest : line.own_earliest, fitted), flags(line)});
                if (line.server.empty())
                    scope_lines.push_back(std::move(line));
            }
        };
        result = run(row, /*names_only=*/false);
        out->end();
    }
    result.lines = std::move(scope_lines);
    if (result.pruned_days > 0) {
        s << "hourly buckets of " << result.pruned_days
          << " series-days were pruned; daily buckets cover them\n";
    }
    if (result.lines.empty())
        return result;
    s << "bucket " << bucket_name(result.bucket) << (result.local_days ? " (local days)" : "")
      << ", as of " << time.format(result.as_of) << '\n'
      << "growth: of the daily peak, addresses in use a day; runs out: the peak reaches "
         "num_addr;\nearliest: 1 in 10 that it comes sooner (warn and crit follow it)\n";
    if (options.per_server)
        s << "server lines: its own free addresses at the daily trough, a day; reach 0\n";
    write_notes(s, result, options, time);
    return result;
}

// The buckets, after the lines' table and its notes: a second run, with names_only, that
// computes no line and walks each line's buckets once more, so that no bucket is kept
// (docs/design.md § Memory).
void write_bucket_table(std::ostream& s, const TrendOptions& options, const TimeFormatter& time,
                        const TrendRun& run) {
    s << '\n';
    auto out = make_result_writer(OutputFormat::table, s);
    out->begin({options.per_server ? "scope / server" : "scope", "bucket", "samples", "min %",
                "mean %", "max %", "last %"});
    run(
        [&](const TrendResult& result, std::span<TrendLine> lines, TrendBuckets& buckets) {
            for (const TrendLine& line : lines) {
                buckets.each(line, [&](const TrendBucket& b) {
                    const UtilizationStats& u = b.stats.utilization;
                    const bool known = u.count > 0;
                    out->row({line_name(line), bucket_text(b.start, result.bucket, time),
                              b.stats.samples, known ? rounded(u.min, 10) : Cell(),
                              rounded(u.mean(), 10), known ? rounded(u.max, 10) : Cell(),
                              rounded(u.last, 10)});
                });
            }
        },
        /*names_only=*/true);
    out->end();
}

std::vector<std::string> line_columns() {
    return {"scope",
            "server",
            "bucket",
            "as_of",
            "first",
            "last",
            "samples",
            "buckets",
            "num_addr",
            "utilization",
            "peak_utilization",
            "peak_bucket",
            "forecast_days",
            "fit",
            "slope_per_day",
            "spread",
            "exhaustion",
            "earliest_exhaustion",
            "own_fit",
            "own_slope_per_day",
            "own_exhaustion",
            "own_earliest_exhaustion",
            "own_server",
            "horizon",
            "num_addr_changes",
            "severity"};
}

std::vector<std::string> bucket_columns() {
    return {"bucket_start",    "bucket_samples",   "utilization_min", "utilization_mean",
            "utilization_max", "utilization_last", "addr_in_use_mean"};
}

std::vector<Cell> line_cells(const TrendLine& line, const TrendResult& result,
                             const std::string& horizon, const TimeFormatter& time) {
    const std::string changes = size_changes_text(line, time);
    return {line.scope,
            line.server.empty() ? Cell() : Cell(line.server),
            bucket_name(result.bucket),
            time.format(result.as_of),
            time.format(line.total.first_ts),
            time.format(line.total.last_ts),
            line.total.samples,
            line.bucket_count,
            line.num_addr ? Cell(static_cast<std::int64_t>(*line.num_addr)) : Cell(),
            optional_cell(line.utilization),
            optional_cell(line.peak),
            line.peak ? Cell(time.format(line.peak_bucket)) : Cell(),
            static_cast<std::int64_t>(line.forecast_days),
            line.fit.empty() ? Cell() : Cell(line.fit),
            optional_cell(line.slope),
            optional_cell(line.spread),
            time_cell(line.exhaustion, time),
            time_cell(line.earliest, time),
            line.own_fit.empty() ? Cell() : Cell(line.own_fit),
            optional_cell(line.own_slope),
            time_cell(line.own_exhaustion, time),
            time_cell(line.own_earliest, time),
            line.own_server.empty() ? Cell() : Cell(line.own_server),
            horizon,
            changes.empty() ? Cell() : Cell(changes),
            line.severity ? std::string(to_string(*line.severity)) : std::string("ok")};
}

std::vector<Cell> bucket_cells(const TrendBucket& b, const TimeFormatter& time) {
    const UtilizationStats& u = b.stats.utilization;
    const bool known = u.count > 0;
    return {time.format(b.start),
            b.stats.samples,
            known ? Cell(u.min) : Cell(),
            optional_cell(u.mean()),
            known ? Cell(u.max) : Cell(),
            optional_cell(u.last),
            optional_cell(b.stats[Counter::addr_in_use].mean())};
}

// CSV and JSON: a row per line with every field; with buckets a first column `record`
// says whether a row is a line ("trend") or one of its buckets ("bucket"), and each kind
// leaves the other's columns empty. Written scope by scope as the run yields them, a
// line's buckets walked again after its row.
TrendResult write_records(OutputFormat format, std::ostream& s, const TrendReportOptions& report,
                          const TimeFormatter& time, const TrendRun& run) {
    auto out = make_result_writer(format, s);
    std::vector<std::string> columns = line_columns();
    const std::size_t line_width = columns.size();
    if (report.buckets) {
        columns.insert(columns.begin(), "record");
        for (std::string& c : bucket_columns())
            columns.push_back(std::move(c));
    }
    out->begin(columns);
    const std::size_t bucket_width = bucket_columns().size();
    const auto write = [&](const TrendResult& result, std::span<TrendLine> lines,
                           TrendBuckets& buckets) {
        for (const TrendLine& line : lines) {
            std::vector<Cell> cells = line_cells(line, result, report.horizon, time);
            if (!report.buckets) {
                out->row(cells);
                continue;
            }
            cells.insert(cells.begin(), std::string("trend"));
            cells.resize(cells.size() + bucket_width);
            out->row(cells);
            buckets.each(line, [&](const TrendBucket& b) {
                std::vector<Cell> row = {std::string("bucket"), line.scope,
                                         line.server.empty() ? Cell() : Cell(line.server)};
                row.resize(1 + line_width);
                row[3] = bucket_name(result.bucket);
                for (Cell& c : bucket_cells(b, time))
                    row.push_back(std::move(c));
                out->row(row);
            });
        }
    };
    TrendResult result = run(write, /*names_only=*/false);
    out->end();
    return result;
}

}  // namespace

TrendResult write_trend_report(OutputFormat format, std::ostream& out,
                               const TrendReportOptions& options, const TimeFormatter& time,
                               const TrendRun& run) {
    if (format != OutputFormat::table)
        return write_records(format, out, options, time, run);
    TrendResult result = write_table(out, options, time, run);
    if (options.buckets && !result.lines.empty())
        write_bucket_table(out, options.analysis, time, run);
    return result;
}

}  // namespace fostat
