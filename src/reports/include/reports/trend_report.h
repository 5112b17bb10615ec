// `fostat-query trend`'s report: the table for people (its lines, the legend, the notes that
// explain its flags, and with buckets a second table), or every field as CSV or JSON
// (docs/cli.md, trend).
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "analyses/trend.h"
#include "formats/result_writer.h"

namespace fostat {

class TimeFormatter;

struct TrendReportOptions {
    // What the lines were computed with: per_server names the first column, and the notes
    // judge a server's own dates by warn_within and critical_within.
    TrendOptions analysis;
    // The horizon as the user wrote it ("365d"): a date beyond it is "> 365d", and the
    // records' horizon field.
    std::string horizon = "365d";
    bool buckets = false;  // every bucket as well
};

// Runs trend's analysis with `visit` (trend_each on a database, or a test's lines), with
// `names_only` as trend_each has it, and returns its result.
using TrendRun = std::function<TrendResult(const TrendVisitor& visit, bool names_only)>;

// Writes the report as `run` yields the lines, scope by scope, so that it keeps only the
// scopes' lines (for the table's notes), never the buckets (docs/design.md § Memory). The
// table: one line per scope (and server), utilization rounded to 0.1 %, dates without
// time, flags (crit, warn, own, size, short) that the notes below it explain; with
// buckets, a second table after the notes, from a second run with names_only. CSV and
// JSON: a row per line with every field; with buckets a first column `record` says
// whether a row is a line ("trend") or one of its buckets ("bucket"), each kind leaving
// the other's columns empty. Returns the result of run's first pass (the table's with
// the scopes' lines).
// REQUIRES: format is table, csv or json.
TrendResult write_trend_report(OutputFormat format, std::ostream& out,
                               const TrendReportOptions& options, const TimeFormatter& time,
                               const TrendRun& run);

}  // namespace fostat
