#include "cli/query_common.h"

#include "storage/database.h"

namespace fostat {

QueryContext open_query(const QueryOptions& o) {
    SeriesFilter filter = make_filter(o, unix_now());
    const OutputFormat format = parse_output_format(o.format);
    TimeFormatter time(o.tz);
    auto db = open_database(o.db, Access::read_only);
    return QueryContext{std::move(db), std::move(filter), format, time, Output(o.output)};
}

}  // namespace fostat
