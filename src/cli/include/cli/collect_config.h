// fostat-collect --config FILE: the options of one source, read from a file.
#pragma once

#include <CLI/CLI.hpp>

namespace fostat {

// Adds --config FILE to fostat-collect's `app`. Call it after every subcommand is set up.
//
// The file is TOML (or INI) as CLI11 reads it: one section named after the source, holding
// that source's long options without their dashes; the options of every command (db,
// quiet, every) there or above the section:
//
//     db = "/var/lib/fostat/site.db"
//     [kea]
//     socket = "/run/kea/kea4-ctrl-socket"
//
// The section chooses the source unless the command line names it (then the two must
// agree). An option on the command line overrides the file. An unknown section or key,
// a line that is not `key = value`, or a value the option refuses is a CLI::ConfigError
// "FILE:LINE: ...".
void add_config_option(CLI::App& app);

}  // namespace fostat
