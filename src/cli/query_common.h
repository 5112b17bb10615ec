// What every fostat-query command does before and after its analysis.
#pragma once

#include <functional>
#include <memory>

#include <SQLiteCpp/Database.h>

#include "cli/options.h"

namespace fostat {

struct QueryContext {
    std::unique_ptr<SQLite::Database> db;
    SeriesFilter filter;
    OutputFormat format;
    TimeFormatter time;
    Output output;
};

// Checks the options, opens the database read-only and the output. `openmetrics`: the
// command writes --format openmetrics (status); the others refuse it.
QueryContext open_query(const QueryOptions& options, bool openmetrics = false);

}  // namespace fostat
