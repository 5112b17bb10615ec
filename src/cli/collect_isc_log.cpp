#include <memory>

#include "cli/collect.h"
#include "formats/byte_source.h"
#include "fostat/error.h"
#include "sources/isc_log.h"

namespace fostat {
namespace {

struct IscLogArgs {
    std::vector<std::string> files;
    int year = 0;
    std::string tz;
    std::string server;
    std::string role;
    std::string relationship;
};

int run_isc_log(const CollectOptions& common, const IscLogArgs& args) {
    if (!common.every.text.empty())
        throw InputError("--every: isc-log reads logs once; schedule it instead");
    if (args.year < 1970 || args.year > 9999)
        throw InputError("--year: give the year of the log's lines (syslog leaves it out)");
    if (args.role != "primary" && args.role != "secondary")
        throw InputError(
            "--role: give primary or secondary, the role of the server that "
            "wrote the log (free leases are the primary's, backup the secondary's)");
    const LogClock clock(args.year, args.tz);
    IscLogOptions options{args.server, args.role == "primary", args.relationship};
    const RunInfo info{"isc-log", args.server};
    return collect_runs(common, info, OnConflict::fail, [&](std::int64_t, SampleSink& sink) {
        for (const std::string& file : args.files) {
            auto in = open_file_source(file);
            try {
                isc_log_samples(*in, file == "-" ? "<stdin>" : file, clock, options, sink);
            } catch (const NonexistentLocalTime& e) {
                throw InputError(std::string(e.what()) + "; wrong --tz?");
            }
        }
    });
}

}  // namespace

void setup_isc_log(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<IscLogArgs>();
    CLI::App* sub = app.add_subcommand(
        "isc-log",
        "Backfill history from ISC dhcpd's own syslog lines 'balancing pool ...', 'balanced "
        "pool ...' and 'IMBALANCED pool ...': total, free and backup per pool at the line's "
        "time; the in-use split is unknown (NULL). Other lines are skipped and counted.");
    add_collect_options(*sub, common);
    sub->add_option("FILE", args->files, "syslog files; - reads standard input")->required();
    sub->add_option("--year", args->year, "the year of the lines (syslog omits it)")->required();
    sub->add_option("--tz", args->tz, "the zone of the syslog times (default UTC)")
        ->type_name("ZONE");
    sub->add_option("--server", args->server, "the name of the server that wrote the log")
        ->type_name("NAME")
        ->check(name_validator())
        ->required();
    sub->add_option("--role", args->role, "primary or secondary: that server's role")
        ->type_name("ROLE")
        ->required();
    sub->add_option("--relationship", args->relationship, "the failover peer's name")
        ->type_name("NAME")
        ->check(name_validator());
    sub->callback([&common, &status, args] { status = run_isc_log(common, *args); });
}

}  // namespace fostat
