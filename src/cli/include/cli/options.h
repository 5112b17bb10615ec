// Options both programs share, and the one way they report errors and exit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "formats/output_file.h"
#include "formats/result_writer.h"
#include "fostat/time_text.h"
#include "storage/sample_reader.h"

namespace fostat {

// $FOSTAT_DB, or fostat.db in the current directory.
std::string default_database();

struct QueryOptions {
    std::string db = default_database();
    std::string since;
    std::string until;
    std::vector<std::string> scopes;
    std::vector<std::string> servers;
    std::string format = "table";
    std::string tz;
    std::string time_format = "iso";  // iso, spreadsheet, epoch: the times of --format csv
    std::string output;
};

// Adds the common options (docs/design.md § Common options) to an App. Both the program and
// each subcommand get them, bound to the same variables, so that they are accepted before or
// after the command word and listed in each command's --help.
void add_query_options(CLI::App& app, QueryOptions& options);

// The window and filters of the options. Throws InputError naming the option.
SeriesFilter make_filter(const QueryOptions& options, std::int64_t now);

// Standard output, or the file of -o, which only finish() puts in place (OutputFile): a
// command that fails leaves the file as it was. finish() reports a failed write as an error.
class Output {
  public:
    explicit Output(const std::string& path);
    std::ostream& stream() { return file_ ? file_->stream() : std::cout; }
    void finish();

  private:
    std::unique_ptr<OutputFile> file_;
};

// Parses the command line and runs the chosen subcommand's callback. Returns the exit
// status: the callback's `status`, 0 for --help, 3 with one line on stderr for any error.
int run_program(CLI::App& app, int argc, char** argv, const int& status);

}  // namespace fostat
