// fostat-query's subcommands: one file each (query_<name>.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace fostat {

void setup_scopes(CLI::App& app, const QueryOptions& common, int& status);
void setup_samples(CLI::App& app, const QueryOptions& common, int& status);

}  // namespace fostat
