#include "cli/stored_names.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"

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

}  // namespace

void require_known_names(SampleReader& reader, const std::string& db,
                         const std::vector<std::string>& typed_scopes, const SeriesFilter& filter) {
    if (!filter.servers.empty()) {
        const std::vector<std::string> stored = reader.stored_servers();
        for (const std::string& server : filter.servers) {
            if (std::binary_search(stored.begin(), stored.end(), server))
                continue;
            std::string message = "--server " + terminal_text(server) + ": no such server in " + db;
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
            std::string message = "--scope " + typed_scopes[i] + ": no such scope in " + db;
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

}  // namespace fostat
