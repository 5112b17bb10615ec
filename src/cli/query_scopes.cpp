#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"

namespace fostat {
namespace {

int run_scopes(const QueryOptions& options) {
    QueryContext q = open_query(options);
    SampleReader reader(*q.db);
    auto out = make_result_writer(q.format, q.output.stream());
    out->begin({"server", "relationship", "scope", "samples", "first", "last", "state"});
    for (const Series& series : reader.series(q.filter)) {
        std::int64_t count = 0, first = 0, last = 0;
        Relationship latest;
        reader.for_each(series, q.filter, [&](const Sample& s) {
            if (count++ == 0)
                first = s.timestamp;
            last = s.timestamp;
            latest = s.relationship;
        });
        if (count == 0)
            continue;
        out->row({series.server, latest.name, series.scope, count, q.time.format(first),
                  q.time.format(last), std::string(to_string(latest.state))});
    }
    out->end();
    q.output.finish();
    return kExitOk;
}

}  // namespace

void setup_scopes(CLI::App& app, QueryOptions& common, int& status) {
    CLI::App* sub = app.add_subcommand(
        "scopes",
        "List every server and scope recorded: relationship, number of samples, first and "
        "last sample, and the state at the last one.");
    add_query_options(*sub, common);
    sub->callback([&common, &status] { status = run_scopes(common); });
}

}  // namespace fostat
