#include "formats/canonical_csv.h"

#include <charconv>

#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"
#include "fostat/time_text.h"

namespace fostat {
namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kCounterColumn = 4;  // num_addr; the seven counters follow in order

// Unix seconds as --time-format epoch writes them: 1 to 12 digits.
std::optional<std::int64_t> epoch_seconds(std::string_view text) {
    if (text.empty() || text.size() > 12)
        return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

void append_decimal(std::string& out, double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

CanonicalCsvReader::CanonicalCsvReader(ByteSource& in, std::string name)
    : csv_(in, std::move(name)) {}

void CanonicalCsvReader::read_header() {
    if (!csv_.next(fields_)) {
        throw InputError(csv_.name() + ":1: empty input: expected the header line " +
                         std::string(kCanonicalColumns[0]) + "," +
                         std::string(kCanonicalColumns[1]) + ",...");
    }
    const bool short_form = fields_.size() == kShortCanonicalColumns;
    if (fields_.size() == 1 && fields_[0].find(';') != std::string_view::npos) {
        csv_.fail(
            "the fields are separated by ';', as a spreadsheet in a locale with a decimal comma "
            "saves them: save it again with ',' as the field separator");
    }
    if (!short_form && fields_.size() != kCanonicalColumns.size()) {
        csv_.fail(
            "expected the canonical header (timestamp,server,relationship,scope,num_addr,"
            "...: 11 or 14 columns), found " +
            std::to_string(fields_.size()) + " columns starting " +
            excerpt(fields_.empty() ? "" : fields_[0]));
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i] != kCanonicalColumns[i]) {
            csv_.fail("header column " + std::to_string(i + 1) + " is " + excerpt(fields_[i]) +
                      ", expected '" + std::string(kCanonicalColumns[i]) + "'");
        }
    }
    columns_ = fields_.size();
}

bool CanonicalCsvReader::next(Sample& sample) {
    if (columns_ == 0)
        read_header();
    if (!csv_.next(fields_))
        return false;
    if (fields_.size() != columns_) {
        csv_.fail("expected " + std::to_string(columns_) + " fields as in the header, found " +
                  std::to_string(fields_.size()));
    }
    auto column_error = [&](std::size_t i, const std::string& what) {
        csv_.fail(std::string(kCanonicalColumns[i]) + ": " + what);
    };

    const std::string_view ts = fields_[0];
    if (auto fast = parse_canonical_timestamp(ts)) {
        sample.timestamp = *fast;
    } else if (auto epoch = epoch_seconds(ts)) {
        sample.timestamp = *epoch;  // samples --format csv --time-format epoch
    } else {
        try {
            sample.timestamp = parse_timestamp(ts);
        } catch (const InputError& e) {
            column_error(0, e.what());
        }
    }

    // Rows of one server and relationship follow each other: a name is checked when it
    // changes, as the scope is below.
    const std::string_view server = unneutralise(fields_[1]);
    if (server.empty())
        column_error(1, "is empty; every sample names its server");
    if (server != sample.server) {
        if (server.size() > kMaxNameLength)
            column_error(1, "longer than 255 bytes");
        if (auto problem = name_problem(server))
            column_error(1, *problem);
        sample.server.assign(server);
    }
    const std::string_view relationship = unneutralise(fields_[2]);
    if (relationship != sample.relationship.name) {
        if (relationship.size() > kMaxNameLength)
            column_error(2, "longer than 255 bytes");
        if (auto problem = name_problem(relationship))
            column_error(2, *problem);
        sample.relationship.name.assign(relationship);
    }

    if (fields_[3] != sample.scope) {  // rows of one scope follow each other: skip the work
        auto scope = normalise_scope(fields_[3]);
        if (!scope) {
            column_error(
                3, excerpt(fields_[3]) + " is not an IPv4 subnet such as 10.1.2.0/24 or 10.1.2.0");
        }
        sample.scope = std::move(*scope);
    }

    for (std::size_t c = 0; c < kCounterCount; ++c) {
        const std::size_t i = kCounterColumn + c;
        const std::string_view text = fields_[i];
        auto& value = sample.counters.values[c];
        if (text.empty()) {
            value.reset();
            continue;
        }
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc::result_out_of_range || (ec == std::errc() && v > kMaxCounter)) {
            column_error(i, excerpt(text) +
                                " is above 4294967295, the largest counter a DHCP "
                                "server reports");
        }
        if (ec != std::errc() || end != text.data() + text.size()) {
            column_error(i, excerpt(text) +
                                (text[0] == '-' ? " is negative" : " is not a whole number") +
                                "; counters are 0 to 4294967295, or empty when unknown");
        }
        value = v;
    }

    Relationship& r = sample.relationship;
    r.mode = Mode::load_balance;
    r.expected_share = 50.0;
    r.state = State::unknown;
    r.source_state.clear();
    if (columns_ == kCanonicalColumns.size()) {
        if (!fields_[11].empty()) {
            auto mode = parse_mode(fields_[11]);
            if (!mode)
                column_error(11, excerpt(fields_[11]) + " is not load-balance or hot-standby");
            r.mode = *mode;
        }
        if (const std::string_view share = fields_[12]; !share.empty()) {
            double v = 0;
            const auto [end, ec] = std::from_chars(share.data(), share.data() + share.size(), v);
            if (ec != std::errc() || end != share.data() + share.size() || !(v >= 0 && v <= 100)) {
                column_error(12, excerpt(share) + " is not a percentage from 0 to 100");
            }
            r.expected_share = v;
        }
        if (const std::string_view word = fields_[13]; !word.empty()) {
            auto state = normalise_state(word);
            if (!state) {
                column_error(13, excerpt(word) +
                                     " is not a failover state (normal, "
                                     "communication-interrupted, partner-down, recover, "
                                     "startup, conflict, maintenance, paused, shutdown, "
                                     "unknown, or a source's own word for one)");
            }
            r.state = *state;
            if (word != to_string(*state))
                r.source_state.assign(word);
        }
    }
    return true;
}

void append_canonical_header(std::string& out) {
    for (std::size_t i = 0; i < kCanonicalColumns.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        out.append(kCanonicalColumns[i]);
    }
    out.push_back('\n');
}

void append_canonical_row(std::string& out, const Sample& s, const TimeFormatter& time) {
    out += time.format(s.timestamp);
    out.push_back(',');
    append_csv_cell(out, s.server);
    out.push_back(',');
    append_csv_cell(out, s.relationship.name);
    out.push_back(',');
    append_csv_cell(out, s.scope);
    char digits[24];
    for (const auto& value : s.counters.values) {
        out.push_back(',');
        if (value)
            out.append(digits, std::to_chars(digits, digits + sizeof digits, *value).ptr);
    }
    out.push_back(',');
    out.append(to_string(s.relationship.mode));
    out.push_back(',');
    append_decimal(out, s.relationship.expected_share);
    out.push_back(',');
    out.append(to_string(s.relationship.state));
    out.push_back('\n');
}

}  // namespace fostat
