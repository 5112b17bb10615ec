#include <iostream>
#include <memory>

#include "cli/collect.h"
#include "fostat/error.h"
#include "sources/windows.h"

namespace fostat {
namespace {

struct WindowsArgs {
    std::string server;
};

int run_windows(const CollectOptions& common, const WindowsArgs& args) {
    if (args.server.empty())
        throw InputError("windows: --server: give the DHCP server's host name or address");
    // Outside Windows builds this throws the line that says so, before any database is opened.
    const std::unique_ptr<DhcpFailoverApi> api =
        read_option("--server", [&] { return open_dhcpsapi(args.server); });
    const RunInfo info{"windows", args.server};
    return collect_runs(common, info, OnConflict::fail, [&](std::int64_t now, SampleSink& sink) {
        WindowsOptions options;
        options.server = args.server;
        options.at = now;
        const WindowsCounts counts = collect_windows(*api, options, sink);
        for (const std::string& failure : counts.failed_scopes) {
            sink.note(failure + " (left out)");
            if (!common.quiet)
                std::cerr << "fostat-collect: warning: " << failure
                          << "; that scope has no sample this run\n";
        }
        if (counts.scopes == 0) {
            throw SourceError(api->where() +
                              ": DhcpV4FailoverEnumRelationship: no failover relationship "
                              "with a scope on this server; nothing to record");
        }
    });
}

}  // namespace

void setup_windows(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<WindowsArgs>();
    CLI::App* sub = app.add_subcommand(
        "windows",
        "Ask a Windows Server DHCP server (2012 or later) through dhcpsapi.dll for its failover "
        "relationships and the failover statistics of each of their scopes: one sample per "
        "scope. Windows builds only; elsewhere import the PowerShell exports "
        "(docs/sources/windows.md).");
    add_collect_options(*sub, common);
    add_every_option(*sub, common);
    sub->add_option("--server", args->server,
                    "the DHCP server to ask (host name or IPv4 address); the samples are "
                    "stored under this name")
        ->type_name("HOST")
        ->check(name_validator())
        ->required();
    sub->callback([&common, &status, args] { status = run_windows(common, *args); });
}

}  // namespace fostat
