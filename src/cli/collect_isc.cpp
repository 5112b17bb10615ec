#include <iostream>
#include <memory>

#include "cli/collect.h"
#include "formats/byte_source.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "os/host.h"
#include "sources/isc.h"

namespace fostat {
namespace {

struct IscArgs {
    std::string config;
    std::string leases;
    std::string server;
    std::string at;
    std::optional<int> split;
};

std::string host_name() {
    std::string name = os::host_name();
    if (name.empty())
        throw InputError("--server: the host name is unknown; name the server with --server");
    return name;
}

int run_isc(const CollectOptions& common, const IscArgs& args) {
    IscOptions options;
    options.server = args.server.empty() ? host_name() : args.server;
    options.split = args.split;
    if (args.split && (*args.split < 0 || *args.split > 256))
        throw InputError("--split: give 0 to 256, as in the primary's dhcpd.conf");
    std::optional<std::int64_t> at;
    if (!args.at.empty()) {
        if (!common.every.text.empty())
            throw InputError("--at: only for one run of a journal copied earlier, not --every");
        try {
            at = parse_time_option(args.at, unix_now());
        } catch (const InputError& e) {
            throw InputError(std::string("--at: ") + e.what());
        }
    }
    const RunInfo info{"isc", options.server};
    return collect_runs(common, info, OnConflict::fail, [&](std::int64_t now, SampleSink& sink) {
        FilesystemConfigFiles files;
        const IscConfig config = parse_isc_config(files, args.config);
        auto journal_file = open_file_source(args.leases);
        const LeaseJournal journal = parse_leases(*journal_file, args.leases);
        options.at = at.value_or(now);
        const IscCounts counts = isc_samples(config, journal, options, sink);
        if (!common.quiet) {
            for (const std::string& w : config.warnings)
                std::cerr << "fostat-collect: warning: " << w << '\n';
            for (const std::string& w : counts.warnings)
                std::cerr << "fostat-collect: warning: " << w << '\n';
            if (counts.unknown_split) {
                std::cerr << "fostat-collect: warning: "
                          << split_unknown_warning(*counts.unknown_split,
                                                   "give --split as on the primary")
                          << '\n';
            }
        }
        if (counts.subnets == 0) {
            throw InputError(args.config +
                             ": no subnet has a pool under a failover peer; fostat records "
                             "failover scopes only");
        }
    });
}

}  // namespace

void setup_isc(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<IscArgs>();
    CLI::App* sub = app.add_subcommand(
        "isc",
        "Count one ISC dhcpd failover server's scopes from its dhcpd.conf and dhcpd.leases: "
        "one sample per subnet with pools under a failover peer. Free leases are the "
        "primary's, backup leases the secondary's; leases in use are split by the RFC 3074 "
        "hash of their client, as dhcpd balances them (docs/sources/isc.md).");
    add_collect_options(*sub, common);
    add_every_option(*sub, common);
    sub->add_option("--config", args->config, "the server's dhcpd.conf (includes are followed)")
        ->type_name("FILE")
        ->required();
    sub->add_option("--leases", args->leases, "the server's dhcpd.leases journal")
        ->type_name("FILE")
        ->required();
    sub->add_option("--server", args->server,
                    "the name to store the samples under (default: "
                    "this host's name)")
        ->type_name("NAME")
        ->check(name_validator());
    sub->add_option("--at", args->at,
                    "the samples' time, for a journal copied earlier (default: now)")
        ->type_name("TIME");
    sub->add_option("--split", args->split,
                    "the primary's split (0-256), for a secondary whose dhcpd.conf has none")
        ->type_name("N");
    sub->callback([&common, &status, args] { status = run_isc(common, *args); });
}

}  // namespace fostat
