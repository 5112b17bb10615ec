#include <memory>

#include "cli/query.h"
#include "cli/query_common.h"
#include "formats/canonical_csv.h"
#include "formats/metrics.h"
#include "formats/openmetrics.h"
#include "fostat/error.h"
#include "storage/samples_with_lease_states.h"

namespace fostat {
namespace {

struct SamplesArgs {
    bool lease_states = false;
};

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

void write_canonical_csv(QueryContext& q, SampleReader& reader) {
    // The canonical CSV, byte for byte what import reads (docs/csv.md).
    std::ostream& out = q.output.stream();
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
}

// The samples as records.
void write_records(QueryContext& q, SampleReader& reader) {
    auto writer = make_result_writer(q.format, q.output.stream());
    writer->begin(std::vector<std::string>(kCanonicalColumns.begin(), kCanonicalColumns.end()));
    for (const Series& series : reader.series(q.filter)) {
        reader.for_each(series, q.filter,
                        [&](const Sample& s) { writer->row(sample_cells(s, q.time)); });
    }
    writer->end();
}

// The samples as records with a column leases_<state> per state stored in the window.
void write_records_with_lease_states(QueryContext& q, SampleReader& reader) {
    SamplesWithLeaseStates joined(*q.db, reader, q.filter);
    auto writer = make_result_writer(q.format, q.output.stream());
    std::vector<std::string> columns(kCanonicalColumns.begin(), kCanonicalColumns.end());
    for (const std::string& state : joined.states())
        columns.push_back("leases_" + state);
    writer->begin(columns);
    for (const Series& series : joined.series()) {
        joined.for_each(series, [&](const Sample& s, const std::vector<std::uint64_t>* counts) {
            std::vector<Cell> cells = sample_cells(s, q.time);
            for (std::size_t i = 0; i < joined.states().size(); ++i) {
                if (counts == nullptr)
                    cells.emplace_back();  // stored without a breakdown
                else
                    cells.emplace_back(static_cast<std::int64_t>((*counts)[i]));
            }
            writer->row(cells);
        });
    }
    writer->end();
}

// Every sample in the window as gauges with their times (docs/metrics.md), in the form
// `promtool tsdb create-blocks-from openmetrics` reads: the lines of a metric together, which
// takes a pass over the samples per metric, and each series' in time order.
void write_openmetrics(QueryContext& q, SampleReader& reader) {
    OpenMetricsWriter w(q.output.stream());
    const std::vector<Series> series = reader.series(q.filter);
    for (std::size_t m = 0; m < kSampleMetricCount; ++m) {
        const MetricName& metric = sample_metric(m);
        w.gauge(metric.name, metric.help, metric.unit);
        for (const Series& one : series) {
            // The labels change with the relationship only: escaped once per change.
            std::optional<Relationship> labelled;
            std::string labels;
            reader.for_each(one, q.filter, [&](const Sample& s) {
                const std::optional<MetricValue> value = sample_metric_value(s, m);
                if (!value)
                    return;
                if (labelled != s.relationship) {
                    labels = label_set(kSeriesLabels, series_label_values(s));
                    labelled = s.relationship;
                }
                w.sample(labels, *value, s.timestamp);
            });
        }
    }
    w.finish();
}

int run_samples(const QueryOptions& options, const SamplesArgs& args) {
    QueryContext q = open_query(options, /*openmetrics=*/true);
    if (args.lease_states && q.format == OutputFormat::openmetrics)
        throw InputError("--lease-states: not with --format openmetrics");
    SampleReader reader(*q.db);
    if (q.format == OutputFormat::openmetrics)
        write_openmetrics(q, reader);
    else if (args.lease_states)
        write_records_with_lease_states(q, reader);
    else if (q.format == OutputFormat::csv)
        write_canonical_csv(q, reader);
    else
        write_records(q, reader);
    q.output.finish();
    return kExitOk;
}

}  // namespace

void setup_samples(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<SamplesArgs>();
    CLI::App* sub = app.add_subcommand(
        "samples",
        "Print the raw samples in the window, per server and scope in time order. "
        "--format csv writes the canonical CSV that fostat-collect import reads; --format "
        "openmetrics writes them as Prometheus gauges with their times, for promtool tsdb "
        "create-blocks-from openmetrics (backfilling).");
    add_query_options(*sub, common);
    sub->add_flag("--lease-states", args->lease_states,
                  "add a column leases_<state> for each lease state stored in the window: the "
                  "scope's addresses in that state (isc: free, active, expired, released, "
                  "abandoned, reset, backup, bootp); empty for a sample stored without them. "
                  "The CSV is then not the canonical one import reads");
    sub->callback([&common, &status, args] { status = run_samples(common, *args); });
}

}  // namespace fostat
