#include "cli/query_common.h"

#include <algorithm>
#include <iostream>

#include "fostat/error.h"
#include "ipv4.h"
#include "storage/database.h"
#include "text.h"

namespace fostat {
namespace {

// Edits (insert, delete, replace) between two names, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "a, b, c" of at most `most` names, then ", ...".
std::string name_list(const std::vector<std::string>& names, std::size_t most = 6) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < most; ++i)
        text += (i ? ", " : "") + terminal_text(names[i]);
    return names.size() > most ? text + ", ..." : text;
}

// The stored server a mistyped one most likely means: the same but for case, or the one
// nearest, at most a third of its characters (and at least one) away; none for a tie.
std::optional<std::string> closest_server(const std::string& typed,
                                          const std::vector<std::string>& stored) {
    const auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    const std::string lower_typed = lower(typed);
    std::optional<std::string> best;
    bool tie = false;
    std::size_t best_distance = std::max<std::size_t>(1, typed.size() / 3) + 1;
    for (const std::string& name : stored) {
        const std::size_t d = lower(name) == lower_typed ? 0 : edit_distance(typed, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
            tie = false;
        } else if (d == best_distance) {
            tie = true;
        }
    }
    return tie ? std::nullopt : best;
}

struct Subnet {
    std::uint32_t address = 0;
    int prefix = 32;
};

// "10.1.2.0/24" or a bare address (a /32 here).
std::optional<Subnet> parse_subnet(std::string_view scope) {
    const auto slash = scope.find('/');
    const auto address = parse_ipv4(scope.substr(0, slash));
    if (!address)
        return std::nullopt;
    Subnet s{*address, 32};
    if (slash != std::string_view::npos)
        s.prefix = std::stoi(std::string(scope.substr(slash + 1)));
    return s;
}

// A stored scope that the typed one likely means: the same address with another or no
// prefix length (Windows stores a ScopeId without one), else a stored subnet that holds it
// or that it holds.
std::optional<std::string> closest_scope(const std::string& typed,
                                         const std::vector<std::string>& stored) {
    const auto t = parse_subnet(typed);
    if (!t)
        return std::nullopt;
    std::optional<std::string> overlapping;
    for (const std::string& name : stored) {
        const auto s = parse_subnet(name);
        if (!s)
            continue;
        if (s->address == t->address)
            return name;
        const int shorter = std::min(s->prefix, t->prefix);
        if (!overlapping &&
            (s->address & prefix_mask(shorter)) == (t->address & prefix_mask(shorter)))
            overlapping = name;
    }
    return overlapping;
}

void require_known_names(SampleReader& reader, const QueryOptions& o, const SeriesFilter& filter) {
    if (!filter.servers.empty()) {
        const std::vector<std::string> stored = reader.stored_servers();
        for (const std::string& server : filter.servers) {
            if (std::binary_search(stored.begin(), stored.end(), server))
                continue;
            std::string message =
                "--server " + terminal_text(server) + ": no such server in " + o.db;
            if (const auto close = closest_server(server, stored))
                message += "; did you mean " + terminal_text(*close) + "?";
            throw InputError(message + (stored.empty() ? " (it holds no samples yet)"
                                                       : " (stored: " + name_list(stored) + ")"));
        }
    }
    if (!filter.scopes.empty()) {
        const std::vector<std::string> stored = reader.stored_scopes();
        for (std::size_t i = 0; i < filter.scopes.size(); ++i) {
            const std::string& scope = filter.scopes[i];
            if (std::find(stored.begin(), stored.end(), scope) != stored.end())
                continue;
            std::string message = "--scope " + o.scopes[i] + ": no such scope in " + o.db;
            if (const auto close = closest_scope(scope, stored))
                message += "; did you mean " + *close + "?";
            throw InputError(message + (stored.empty() ? " (it holds no samples yet)"
                                        : stored.size() <= 6
                                            ? " (stored: " + name_list(stored) + ")"
                                            : " (fostat-query scopes lists the " +
                                                  std::to_string(stored.size()) + " stored)"));
        }
    }
}

// "of --scope 10.1.2.0/24 --server dhcp1 " or empty.
std::string filter_text(const QueryOptions& o) {
    std::string text;
    for (const std::string& scope : o.scopes)
        text += "--scope " + scope + ' ';
    for (const std::string& server : o.servers)
        text += "--server " + terminal_text(server) + ' ';
    return text.empty() ? text : "of " + text;
}

}  // namespace

QueryContext open_query(const QueryOptions& o, bool openmetrics) {
    const std::int64_t now = unix_now();
    SeriesFilter filter = make_filter(o, now);
    const OutputFormat format = parse_output_format(o.format, openmetrics);
    const TimeStyle style = [&] {
        try {
            return parse_time_style(o.time_format);
        } catch (const InputError& e) {
            throw InputError(std::string("--time-format: ") + e.what());
        }
    }();
    // Only CSV: a table's short times are cut from the ISO form, JSON is for programs, and
    // OpenMetrics has its own. With spreadsheet or epoch, samples' CSV is no longer the
    // canonical CSV (import refuses a time without a zone).
    if (style != TimeStyle::iso && format != OutputFormat::csv)
        throw InputError("--time-format " + o.time_format + ": only with --format csv");
    TimeFormatter time = [&] {
        try {
            return TimeFormatter(o.tz, style);
        } catch (const InputError& e) {
            throw InputError(std::string("--tz: ") + e.what());
        }
    }();
    if (!o.output.empty() && o.output != "-")
        refuse_output_over_database("-o", o.output, o.db);
    auto db = open_database(o.db, Access::read_only);
    // One read transaction for the whole query: it sees every run wholly or not at all,
    // however long it takes while collectors commit.
    db->exec("BEGIN");
    {
        SampleReader reader(*db);
        require_known_names(reader, o, filter);
    }
    return QueryContext{std::move(db), std::move(filter), format, time, Output(o.output), now};
}

void require_samples(QueryContext& q, const QueryOptions& o, bool rollups_count) {
    SampleReader reader(*q.db);
    bool pruned = false;
    for (const Series& series : reader.series(q.filter)) {
        if (reader.latest(series, q.filter))
            return;
        pruned = pruned || reader.has_pruned_day(series, q.filter);
        if (pruned && rollups_count)
            return;
    }
    const TimeFormatter time(o.tz);
    std::string window;
    if (!o.since.empty() && !o.until.empty()) {
        window =
            "between " + time.format(q.filter.since) + " and " + time.format(q.filter.until) + ' ';
    } else if (!o.since.empty()) {
        window = "since " + time.format(q.filter.since) + ' ';
    } else if (!o.until.empty()) {
        window = "until " + time.format(q.filter.until) + ' ';
    }
    std::string what = filter_text(o) + window;
    if (!what.empty())
        what.pop_back();
    if (pruned) {
        throw Error(o.db + ": no raw samples" + (what.empty() ? "" : " " + what) +
                    ": prune removed them, and only trend and plot read the rollups it kept");
    }
    throw Error(o.db + ": no samples" + (what.empty() ? "" : " " + what) +
                ": is the collector running?");
}

void add_stale_option(CLI::App& app, std::string& stale) {
    app.add_option("--stale", stale,
                   "a server whose newest sample is older than DURATION (e.g. 15m) is reported "
                   "and makes the exit status at least 1 (warning): its collector has stopped")
        ->type_name("DURATION");
}

std::optional<std::int64_t> parse_stale(const std::string& stale) {
    if (stale.empty())
        return std::nullopt;
    try {
        return parse_duration(stale);
    } catch (const InputError& e) {
        throw InputError(std::string("--stale: ") + e.what());
    }
}

std::vector<StaleServer> find_stale(QueryContext& q, std::int64_t stale_after) {
    SampleReader reader(*q.db);
    std::vector<StaleServer> newest;  // per server, in server order (series() sorts by it)
    for (const Series& series : reader.series(q.filter)) {
        const auto t = reader.newest(series);
        if (!t)
            continue;
        if (newest.empty() || newest.back().server != series.server)
            newest.push_back({series.server, *t});
        else
            newest.back().newest = std::max(newest.back().newest, *t);
    }
    std::erase_if(newest, [&](const StaleServer& s) { return q.now - s.newest <= stale_after; });
    return newest;
}

int report_stale(QueryContext& q, const std::vector<StaleServer>& stale, std::int64_t stale_after,
                 int status) {
    // Below a table in the zone of --tz; on standard error in ISO form UTC, whatever
    // --time-format says.
    const TimeFormatter time = q.format == OutputFormat::table ? q.time : TimeFormatter();
    for (const StaleServer& s : stale) {
        const std::int64_t age = q.now - s.newest;
        const std::string line = "stale: " + terminal_text(s.server) + ": newest sample " +
                                 time.format(s.newest) + " is " +
                                 format_duration(age < 3600 ? age : age - age % 60) +
                                 " old (more than --stale " + format_duration(stale_after) +
                                 "): is its collector running?";
        if (q.format == OutputFormat::table)
            q.output.stream() << line << '\n';
        else
            std::cerr << "fostat-query: warning: " << line << '\n';
    }
    return stale.empty() ? status : std::max(status, kExitWarning);
}

}  // namespace fostat
