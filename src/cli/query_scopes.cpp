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
        // Counts and times from the chunks' own columns; the state from the last sample.
        const std::optional<SeriesSummary> summary = reader.summary(series, q.filter);
        if (!summary)
            continue;
        const std::optional<Point> latest = reader.latest(series, q.filter);
        const Relationship none;
        const Relationship& r = latest ? *latest->relationship : none;
        out->row({series.server, r.name, series.scope, summary->samples,
                  q.time.format(summary->first), q.time.format(summary->last),
                  std::string(to_string(r.state))});
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
