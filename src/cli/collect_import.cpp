#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/collect.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "os/console.h"
#include "sources/import.h"

namespace fostat {
namespace {

struct ImportArgs {
    std::vector<std::string> files;
    bool replace = false;
    std::string server;  // for PowerShell exports that do not name it
    std::string at;      // for PowerShell exports that carry no time
};

// "a.json: 2 scopes without failover statistics (all four null: not in a failover relationship,
// or exported without -Failover), skipped: 10.1.9.0, 10.1.10.0"
std::string skipped_warning(const std::string& name, const std::vector<std::string>& scopes) {
    constexpr std::size_t kListed = 5;
    std::string out = name + ": " + std::to_string(scopes.size()) +
                      (scopes.size() == 1 ? " scope" : " scopes") +
                      " without failover statistics (all four null: not in a failover "
                      "relationship, or exported without -Failover), skipped: ";
    for (std::size_t i = 0; i < scopes.size() && i < kListed; ++i)
        out += (i > 0 ? ", " : "") + scopes[i];
    if (scopes.size() > kListed)
        out += ", ...";
    return out;
}

// Passes samples on to the run; one that is already stored with other values comes back
// saying how to overwrite it, before the source puts file:line in front.
class ReplaceHint : public SampleSink {
  public:
    explicit ReplaceHint(SampleSink& next) : next_(next) {}
    void add(const Sample& sample) override {
        try {
            next_.add(sample);
        } catch (const AlreadyStored& e) {
            throw AlreadyStored(std::string(e.what()) +
                                ". Use --replace to overwrite stored samples");
        }
    }

  private:
    SampleSink& next_;
};

// A PowerShell export's missing server or time, naming the option that gives it:
// "in:2: no Timestamp in the file and no --at: give the time the file was written with --at
// (ISO 8601 with a zone)".
std::string with_option(const MissingDefault& e) {
    const bool at = e.field() == MissingDefault::Field::at;
    const std::string option = at ? "--at" : "--server";
    return (e.where().empty() ? "" : e.where() + ": ") + e.missing() + " and no " + option + ": " +
           e.needed() + " with " + option + (at ? " (ISO 8601 with a zone)" : "");
}

// A progress line when stderr is a terminal (and not --quiet), redrawn at most four times a
// second, and once more at the end of each file.
class ProgressLine {
  public:
    explicit ProgressLine(bool quiet) : enabled_(!quiet && os::stderr_is_terminal()) {}
    ~ProgressLine() {
        if (drawn_)
            std::cerr << '\n';
    }
    void update(const std::string& name, std::uint64_t bytes, std::optional<std::uint64_t> total) {
        if (!enabled_)
            return;
        const auto now = std::chrono::steady_clock::now();
        const bool at_end = total && bytes >= *total;
        if (drawn_ && !at_end && now - last_ < std::chrono::milliseconds(250))
            return;
        last_ = now;
        drawn_ = true;
        std::cerr << "\rimport " << name << ": " << bytes / (1 << 20) << " MiB";
        if (total && *total > 0)
            std::cerr << " of " << *total / (1 << 20) << " MiB (" << bytes * 100 / *total << " %)";
        std::cerr << "   " << std::flush;
    }

  private:
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_;
};

int run_import(const CollectOptions& common, const ImportArgs& args) {
    if (!common.every.text.empty())
        throw InputError("--every: import reads files once; schedule it instead");
    PowerShellDefaults defaults;
    if (!args.server.empty()) {
        if (args.server.size() > 255)
            throw InputError("--server: longer than 255 bytes");
        defaults.server = args.server;
    }
    if (!args.at.empty()) {
        try {
            defaults.at = parse_time_option(args.at, unix_now());
        } catch (const InputError& e) {
            throw InputError(std::string("--at: ") + e.what());
        }
    }
    const RunInfo info{"import", ""};
    std::vector<std::string> warnings;
    const int status = collect_runs(
        common, info, args.replace ? OnConflict::replace : OnConflict::fail,
        [&](std::int64_t, SampleSink& run) {
            ProgressLine progress(common.quiet);
            ReplaceHint sink(run);
            warnings.clear();
            for (const std::string& file : args.files) {
                auto in = open_file_source(file);
                const std::string name = file == "-" ? "<stdin>" : file;
                const ImportSummary summary = [&] {
                    try {
                        return import_file(
                            *in, name, defaults, sink,
                            [&](std::uint64_t bytes, std::optional<std::uint64_t> total) {
                                progress.update(name, bytes, total);
                            });
                    } catch (const MissingDefault& e) {
                        throw InputError(with_option(e));
                    }
                }();
                if (!summary.skipped_scopes.empty())
                    warnings.push_back(skipped_warning(name, summary.skipped_scopes));
            }
        });
    // After the run's line: a failed run stores nothing, so it has nothing to warn about.
    for (const std::string& w : warnings)
        std::cerr << "fostat-collect: warning: " << w << '\n';
    return status;
}

}  // namespace

void setup_import(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* sub = app.add_subcommand(
        "import",
        "Import samples from canonical CSV files (as fostat-query samples --format csv writes "
        "them) and from Windows PowerShell exports (Get-DhcpServerv4ScopeStatistics -Failover "
        "as CSV or JSON, or the files of tools/windows/Export-FostatFailoverStats.ps1), all "
        "files as one run: a bad row stores nothing. Samples already stored with the same "
        "values are skipped.");
    add_collect_options(*sub, common);
    sub->add_option("FILE", args->files, "CSV or JSON files; - reads standard input")->required();
    sub->add_flag("--replace", args->replace,
                  "overwrite stored samples that have other values (default: refuse)");
    sub->add_option("--server", args->server,
                    "the DHCP server that wrote a PowerShell export without a ServerName")
        ->type_name("NAME")
        ->check(name_validator());
    sub->add_option("--at", args->at,
                    "when a PowerShell export without a Timestamp was written (ISO 8601 with a "
                    "zone, or now, -5m)")
        ->type_name("TIME");
    sub->callback([&common, &status, args] { status = run_import(common, *args); });
}

}  // namespace fostat
