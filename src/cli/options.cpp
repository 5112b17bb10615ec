#include "cli/options.h"

#include <cstdlib>
#include <iostream>

#include <SQLiteCpp/Exception.h>

#include "cli/option_values.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
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
                   "(Unix seconds, importable)")
        ->type_name("STYLE")
        ->capture_default_str();
    app.add_option("-o,--output", o.output,
                   "write to FILE instead of standard output; FILE is replaced only when the "
                   "command succeeds, and may not be the database or a directory")
        ->type_name("FILE");
}

namespace {

// "10.0.0.1/24" -> "10.0.0.0/24"; a bare address or a valid subnet as it is.
// REQUIRES: `scope` is normalised (normalise_scope).
std::string host_bits_cleared(const std::string& scope) {
    const auto slash = scope.find('/');
    if (slash == std::string::npos)
        return scope;
    const int prefix = std::stoi(scope.substr(slash + 1));
    return format_ipv4(*parse_ipv4(scope.substr(0, slash)) & prefix_mask(prefix)) +
           scope.substr(slash);
}

}  // namespace

SeriesFilter make_filter(const QueryOptions& o, std::int64_t now) {
    SeriesFilter filter;
    auto time_option = [&](std::string_view name, const std::string& text) {
        return read_option(name, [&] { return parse_time_option(text, now); });
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
        if (const auto subnet = host_bits_cleared(*normal); subnet != *normal) {
            throw InputError("--scope: " + scope +
                             " has host bits set: a subnet starts at its first address, " + subnet);
        }
        filter.scopes.push_back(*normal);
    }
    filter.servers = o.servers;
    return filter;
}

Output::Output(const std::string& path) {
    if (!path.empty() && path != "-")
        file_ = std::make_unique<OutputFile>("-o", path);
}

void Output::finish() {
    if (file_) {
        file_->commit();
        return;
    }
    std::cout.flush();
    if (!std::cout)
        throw Error("standard output: write failed (disk full, or the reader went away)");
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

// The chosen command's words: "fostat-query status", for "see ... --help".
std::string command_path(const CLI::App& app) {
    std::string path = app.get_name();
    for (const CLI::App* a = &app;;) {
        const auto chosen = a->get_subcommands();
        if (chosen.empty())
            return path;
        a = chosen.front();
        path += ' ' + a->get_name();
    }
}

// The option `name` of the chosen command, or of the program.
const CLI::Option* find_option(const CLI::App& app, const std::string& name) {
    const CLI::Option* found = nullptr;
    for (const CLI::App* a = &app; a != nullptr;) {
        if (const CLI::Option* o = a->get_option_no_throw(name))
            found = o;
        const auto chosen = a->get_subcommands();
        a = chosen.empty() ? nullptr : chosen.front();
    }
    return found;
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// CLI11's own messages in the house style, "OPTION: what is wrong" (docs/cli.md, Errors).
std::string parse_error_text(const CLI::ParseError& e, const CLI::App& app) {
    const std::string text = e.what();
    if (constexpr std::string_view prefix = "Could not convert: "; starts_with(text, prefix)) {
        const std::string rest = text.substr(prefix.size());
        const auto equals = rest.find(" = ");
        if (equals != std::string::npos) {
            const std::string name = rest.substr(0, equals);
            const CLI::Option* option = find_option(app, name);
            const std::string type = option ? option->get_type_name() : "";
            const char* wanted = type == "INT" || type == "UINT" ? "a whole number"
                                 : type == "FLOAT"               ? "a number"
                                                                 : "a value it takes";
            return name + ": " + excerpt(rest.substr(equals + 3)) + " is not " + wanted;
        }
    }
    if (const auto colon = text.find(": "); colon != std::string::npos) {
        const std::string name = text.substr(0, colon), rest = text.substr(colon + 2);
        if (rest.find(" required ") != std::string::npos && rest.ends_with(" missing"))
            return name + ": give it a value";
        if (starts_with(rest, "At Most "))
            return name + ": given more than once; give it once";
    }
    for (std::string_view prefix : {"The following argument was not expected: ",
                                    "The following arguments were not expected: "}) {
        if (starts_with(text, prefix)) {
            return "unexpected " + excerpt(text.substr(prefix.size())) +
                   ": not an option or argument of " + command_path(app);
        }
    }
    return text;
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
            std::cerr << program << ": " << e.what() << " (see " << command_path(app)
                      << " --help)\n";
        }
    } catch (const CLI::ParseError& e) {
        std::cerr << program << ": " << parse_error_text(e, app) << " (see " << command_path(app)
                  << " --help)\n";
    } catch (const SQLite::Exception& e) {
        const std::string path = database_path(app);
        std::cerr << program << ": " << path << ": " << e.what()
                  << database_error_hint(path, e.getExtendedErrorCode()) << '\n';
    } catch (const NoDatabase& e) {
        // Storage says the file holds nothing; the program says how to fill it.
        std::cerr << program << ": " << e.what()
                  << "; collect into it first with fostat-collect --db " << e.path() << '\n';
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << '\n';
    }
    return kExitError;
}

}  // namespace fostat
