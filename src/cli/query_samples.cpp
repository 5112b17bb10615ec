#include <algorithm>
#include <memory>

#include "cli/query.h"
#include "cli/query_common.h"
#include "formats/canonical_csv.h"
#include "fostat/error.h"
#include "storage/lease_states.h"

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

// Every lease state stored for the series in the window, in the order they first appear.
std::vector<std::string> lease_state_names(QueryContext& q, const std::vector<Series>& series) {
    LeaseStateReader states(*q.db);
    std::vector<std::string> names;
    for (const Series& s : series) {
        states.start(s.id, q.filter.since, q.filter.until);
        while (const LeaseStatesAt* at = states.next()) {
            for (const LeaseStateCount& c : at->counts) {
                if (std::find(names.begin(), names.end(), c.state) == names.end())
                    names.push_back(c.state);
            }
        }
    }
    return names;
}

// The samples as records; with `with_lease_states`, a column leases_<state> per stored state.
// The breakdowns are read beside the samples, one day of one series at a time.
void write_records(QueryContext& q, SampleReader& reader, bool with_lease_states) {
    const std::vector<Series> all = reader.series(q.filter);
    const std::vector<std::string> names =
        with_lease_states ? lease_state_names(q, all) : std::vector<std::string>{};
    auto writer = make_result_writer(q.format, q.output.stream());
    std::vector<std::string> columns(kCanonicalColumns.begin(), kCanonicalColumns.end());
    for (const std::string& name : names)
        columns.push_back("leases_" + name);
    writer->begin(columns);
    LeaseStateReader states(*q.db);
    for (const Series& series : all) {
        const LeaseStatesAt* next = nullptr;
        if (!names.empty()) {
            states.start(series.id, q.filter.since, q.filter.until);
            next = states.next();
        }
        reader.for_each(series, q.filter, [&](const Sample& s) {
            std::vector<Cell> cells = sample_cells(s, q.time);
            while (next != nullptr && next->timestamp < s.timestamp)  // both in time order
                next = states.next();
            const bool has = next != nullptr && next->timestamp == s.timestamp;
            for (const std::string& name : names) {
                if (!has) {
                    cells.emplace_back();
                    continue;
                }
                std::uint64_t addresses = 0;
                for (const LeaseStateCount& c : next->counts) {
                    if (c.state == name)
                        addresses = c.addresses;
                }
                cells.emplace_back(static_cast<std::int64_t>(addresses));
            }
            writer->row(cells);
        });
    }
    writer->end();
}

int run_samples(const QueryOptions& options, const SamplesArgs& args) {
    QueryContext q = open_query(options);
    SampleReader reader(*q.db);
    if (q.format == OutputFormat::csv && !args.lease_states)
        write_canonical_csv(q, reader);
    else
        write_records(q, reader, args.lease_states);
    q.output.finish();
    return kExitOk;
}

}  // namespace

void setup_samples(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<SamplesArgs>();
    CLI::App* sub = app.add_subcommand(
        "samples",
        "Print the raw samples in the window, per server and scope in time order. "
        "--format csv writes the canonical CSV that fostat-collect import reads.");
    add_query_options(*sub, common);
    sub->add_flag("--lease-states", args->lease_states,
                  "add a column leases_<state> for each lease state stored in the window: the "
                  "scope's addresses in that state (isc: free, active, expired, released, "
                  "abandoned, reset, backup, bootp); empty for a sample stored without them. "
                  "The CSV is then not the canonical one import reads");
    sub->callback([&common, &status, args] { status = run_samples(common, *args); });
}

}  // namespace fostat
