#include "cli/options.h"

#include <cstdlib>
#include <iostream>

#include <SQLiteCpp/Exception.h>

#include "format/canonical_csv.h"
#include "fostat/error.h"
#include "storage/database.h"

namespace fostat {

std::string default_database() {
    const char* env = std::getenv("FOSTAT_DB");
    return env && *env ? env : "fostat.db";
}

void add_query_options(CLI::App& app, QueryOptions& o) {
    app.add_option("--db", o.db, "SQLite database file ($FOSTAT_DB, else fostat.db)")
        ->type_name("PATH")
        ->capture_default_str();
    app.add_option("--since", o.since,
                   "start of the window: 2026-11-24, 2026-11-24T08:00:00Z, -7d, -12h, now")
        ->type_name("TIME");
    app.add_option("--until", o.until, "end of the window (inclusive), same forms as --since")
        ->type_name("TIME");
    app.add_option("--scope", o.scopes, "only this scope, e.g. 10.1.2.0/24 (repeatable)")
        ->type_name("SUBNET");
    app.add_option("--server", o.servers, "only this server (repeatable)")->type_name("NAME");
    app.add_option("--format", o.format, "table, csv or json")
        ->type_name("FORMAT")
        ->capture_default_str();
    app.add_option("--tz", o.tz, "show times in this IANA zone, e.g. Europe/Berlin (default UTC)")
        ->type_name("ZONE");
    app.add_option("--time-format", o.time_format,
                   "times in CSV: iso (2026-11-24T08:00:00Z), spreadsheet (2026-11-24 08:00:00 "
                   "in --tz, a date-time to LibreOffice and Excel; not importable) or epoch "
                   "(Unix seconds)")
        ->type_name("STYLE")
        ->capture_default_str();
    app.add_option("-o,--output", o.output, "write to FILE instead of standard output")
        ->type_name("FILE");
}

SeriesFilter make_filter(const QueryOptions& o, std::int64_t now) {
    SeriesFilter filter;
    auto time_option = [&](const std::string& name, const std::string& text) {
        try {
            return parse_time_option(text, now);
        } catch (const InputError& e) {
            throw InputError(name + ": " + e.what());
        }
    };
    if (!o.since.empty())
        filter.since = time_option("--since", o.since);
    if (!o.until.empty())
        filter.until = time_option("--until", o.until);
    if (filter.since > filter.until) {
        throw InputError("--since " + o.since + " is after --until " + o.until);
    }
    for (const std::string& scope : o.scopes) {
        auto normal = normalise_scope(scope);
        if (!normal) {
            throw InputError("--scope: " + excerpt(scope) +
                             " is not an IPv4 subnet such as 10.1.2.0/24 or 10.1.2.0");
        }
        filter.scopes.push_back(*normal);
    }
    filter.servers = o.servers;
    return filter;
}

Output::Output(const std::string& path) : path_(path) {
    if (path.empty() || path == "-")
        return;
    file_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*file_)
        throw InputError("-o " + path + ": cannot create the file");
}

void Output::finish() {
    stream().flush();
    if (!stream()) {
        throw Error((file_ ? path_ : std::string("standard output")) +
                    ": write failed (disk full, or the reader went away)");
    }
}

namespace {

// The --db of the command line (the program's or its command's), else its default: the
// database an SQLite error that reached run_program is about.
std::string database_path(const CLI::App& app) {
    std::string path;
    for (const CLI::App* a = &app; a != nullptr;) {
        if (const CLI::Option* db = a->get_option_no_throw("--db")) {
            if (db->count() > 0)
                return db->as<std::string>();
            if (path.empty())
                path = db->get_default_str();
        }
        const auto chosen = a->get_subcommands();
        a = chosen.empty() ? nullptr : chosen.front();
    }
    return path.empty() ? "database" : path;
}

}  // namespace

int run_program(CLI::App& app, int argc, char** argv, const int& status) {
    const std::string program = app.get_name();
    try {
        app.parse(argc, argv);
        return status;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::RequiredError& e) {
        if (app.get_subcommands().empty()) {
            std::string names;
            for (const CLI::App* sub : app.get_subcommands({})) {
                names += (names.empty() ? "" : ", ") + sub->get_name();
            }
            std::cerr << program << ": name a command: " << names << " (see " << program
                      << " --help)\n";
        } else {
            std::cerr << program << ": " << e.what() << " (see " << program << " --help)\n";
        }
    } catch (const CLI::ParseError& e) {
        std::cerr << program << ": " << e.what() << " (see " << program << " --help)\n";
    } catch (const SQLite::Exception& e) {
        const std::string path = database_path(app);
        std::cerr << program << ": " << path << ": " << e.what()
                  << database_error_hint(path, e.getExtendedErrorCode()) << '\n';
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << '\n';
    }
    return kExitError;
}

}  // namespace fostat
