#include "cli/query.h"
#include "cli/query_common.h"
#include "format/canonical_csv.h"
#include "fostat/error.h"

namespace fostat {
namespace {

std::vector<Cell> sample_cells(const Sample& s, const TimeFormatter& time) {
    std::vector<Cell> cells{time.format(s.timestamp), s.server, s.relationship.name, s.scope};
    for (const auto& value : s.counters.values) {
        cells.push_back(value ? Cell(static_cast<std::int64_t>(*value)) : Cell());
    }
    cells.push_back(std::string(to_string(s.relationship.mode)));
    cells.push_back(s.relationship.expected_share);
    cells.push_back(std::string(to_string(s.relationship.state)));
    return cells;
}

int run_samples(const QueryOptions& options) {
    QueryContext q = open_query(options);
    SampleReader reader(*q.db);
    std::ostream& out = q.output.stream();
    if (q.format == OutputFormat::csv) {
        // The canonical CSV, byte for byte what import reads (DESIGN §2).
        std::string buffer;
        append_canonical_header(buffer);
        for (const Series& series : reader.series(q.filter)) {
            reader.for_each(series, q.filter, [&](const Sample& s) {
                append_canonical_row(buffer, s, q.time);
                if (buffer.size() > (1 << 16)) {
                    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                    buffer.clear();
                }
            });
        }
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    } else {
        auto writer = make_result_writer(q.format, out);
        std::vector<std::string> columns(kCanonicalColumns.begin(), kCanonicalColumns.end());
        writer->begin(columns);
        for (const Series& series : reader.series(q.filter)) {
            reader.for_each(series, q.filter,
                            [&](const Sample& s) { writer->row(sample_cells(s, q.time)); });
        }
        writer->end();
    }
    q.output.finish();
    return kExitOk;
}

}  // namespace

void setup_samples(CLI::App& app, QueryOptions& common, int& status) {
    CLI::App* sub = app.add_subcommand(
        "samples",
        "Print the raw samples in the window, per server and scope in time order. "
        "--format csv writes the canonical CSV that fostat-collect import reads.");
    add_query_options(*sub, common);
    sub->callback([&common, &status] { status = run_samples(common); });
}

}  // namespace fostat
