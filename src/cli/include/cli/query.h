// fostat-query's subcommands: one file each (query_<name>.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace fostat {

// Each adds its subcommand to `app`, with the common options, and a callback that sets
// `status` to the exit status.
void setup_scopes(CLI::App& app, QueryOptions& common, int& status);
void setup_samples(CLI::App& app, QueryOptions& common, int& status);
void setup_check(CLI::App& app, QueryOptions& common, int& status);
void setup_status(CLI::App& app, QueryOptions& common, int& status);
void setup_imbalance(CLI::App& app, QueryOptions& common, int& status);
void setup_trend(CLI::App& app, QueryOptions& common, int& status);
void setup_plot(CLI::App& app, QueryOptions& common, int& status);
void setup_report(CLI::App& app, QueryOptions& common, int& status);

}  // namespace fostat
