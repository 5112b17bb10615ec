#include "cli/query_common.h"

#include "fostat/error.h"
#include "storage/database.h"

namespace fostat {

QueryContext open_query(const QueryOptions& o, bool openmetrics) {
    SeriesFilter filter = make_filter(o, unix_now());
    const OutputFormat format = parse_output_format(o.format, openmetrics);
    const TimeStyle style = [&] {
        try {
            return parse_time_style(o.time_format);
        } catch (const InputError& e) {
            throw InputError(std::string("--time-format: ") + e.what());
        }
    }();
    // Only CSV: a table's short times are cut from the ISO form, JSON is for programs, and
    // OpenMetrics has its own. With spreadsheet or epoch, samples' CSV is no longer the
    // canonical CSV (import refuses a time without a zone).
    if (style != TimeStyle::iso && format != OutputFormat::csv)
        throw InputError("--time-format " + o.time_format + ": only with --format csv");
    TimeFormatter time = [&] {
        try {
            return TimeFormatter(o.tz, style);
        } catch (const InputError& e) {
            throw InputError(std::string("--tz: ") + e.what());
        }
    }();
    auto db = open_database(o.db, Access::read_only);
    // One read transaction for the whole query: it sees every run wholly or not at all,
    // however long it takes while collectors commit.
    db->exec("BEGIN");
    return QueryContext{std::move(db), std::move(filter), format, time, Output(o.output)};
}

}  // namespace fostat
