#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/collect.h"
#include "fostat/error.h"
#include "sources/import.h"

namespace fostat {
namespace {

struct ImportArgs {
    std::vector<std::string> files;
    bool replace = false;
};

// A progress line when stderr is a terminal (and not --quiet), redrawn at most four times a
// second, and once more at the end of each file.
class ProgressLine {
  public:
    explicit ProgressLine(bool quiet) : enabled_(!quiet && isatty(STDERR_FILENO) == 1) {}
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
    if (!common.every.empty())
        throw InputError("--every: import reads files once; schedule it instead");
    const RunInfo info{"import", ""};
    return collect_runs(common, info, args.replace ? OnConflict::replace : OnConflict::fail,
                        [&](std::int64_t, SampleSink& sink) {
                            ProgressLine progress(common.quiet);
                            for (const std::string& file : args.files) {
                                auto in = open_file_source(file);
                                const std::string name = file == "-" ? "<stdin>" : file;
                                import_canonical_csv(
                                    *in, name, sink,
                                    [&](std::uint64_t bytes, std::optional<std::uint64_t> total) {
                                        progress.update(name, bytes, total);
                                    });
                            }
                        });
}

}  // namespace

void setup_import(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* sub = app.add_subcommand(
        "import",
        "Import samples from canonical CSV files (as fostat-query samples --format csv writes "
        "them), all files as one run: a bad row stores nothing. Samples already stored with "
        "the same values are skipped.");
    add_collect_options(*sub, common);
    sub->add_option("FILE", args->files, "CSV files; - reads standard input")->required();
    sub->add_flag("--replace", args->replace,
                  "overwrite stored samples that have other values (default: refuse)");
    sub->callback([&common, &status, args] { status = run_import(common, *args); });
}

}  // namespace fostat
