#include "formats/openmetrics.h"
#include "reports/status_openmetrics.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyses/status.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z

// What the parser below reads back: OpenMetrics 1.0 text as its ABNF has it, for the gauges
// fostat writes (no exemplars, no other types). It throws on anything else, so a test that
// parses is a test of the syntax.
struct ParsedSample {
    std::string name;
    std::map<std::string, std::string> labels;
    std::vector<std::string> label_order;
    double value = 0;
    std::string value_text;
    std::optional<std::int64_t> timestamp;
};

struct ParsedFamily {
    std::string name, type, help, unit;
    std::vector<ParsedSample> samples;
};

bool name_char(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
}

class Parser {
  public:
    explicit Parser(std::string text) : text_(std::move(text)) {}

    std::vector<ParsedFamily> parse() {
        std::vector<ParsedFamily> families;
        bool eof = false;
        while (pos_ < text_.size()) {
            if (eof)
                fail("text after # EOF");
            const std::string line = next_line();
            if (line == "# EOF") {
                eof = true;
            } else if (line.rfind("# ", 0) == 0) {
                descriptor(line, families);
            } else {
                sample(line, families);
            }
        }
        if (!eof)
            fail("no # EOF at the end");
        return families;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("line " + std::to_string(line_) + ": " + what);
    }

    std::string next_line() {
        const std::size_t end = text_.find('\n', pos_);
        if (end == std::string::npos)
            fail("a line without its line feed");
        std::string line = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        ++line_;
        return line;
    }

    static std::size_t metric_name_end(const std::string& s, std::size_t i) {
        const std::size_t start = i;
        while (i < s.size() && name_char(s[i], i == start))
            ++i;
        return i;
    }

    // A descriptor starts a family, or adds to the one of the same name just begun.
    void descriptor(const std::string& line, std::vector<ParsedFamily>& families) {
        const std::size_t keyword_end = line.find(' ', 2);
        if (keyword_end == std::string::npos)
            fail("a comment line: OpenMetrics has no comments but # EOF");
        const std::string keyword = line.substr(2, keyword_end - 2);
        const std::size_t name_end = metric_name_end(line, keyword_end + 1);
        const std::string name = line.substr(keyword_end + 1, name_end - keyword_end - 1);
        if (name.empty() || name_end >= line.size() || line[name_end] != ' ')
            fail("a descriptor without a name and a value");
        const std::string rest = line.substr(name_end + 1);
        if (families.empty() || families.back().name != name) {
            for (const ParsedFamily& f : families) {
                if (f.name == name)
                    fail("family " + name + " is interleaved with another");
            }
            families.push_back({name, "", "", "", {}});
        }
        ParsedFamily& f = families.back();
        if (!f.samples.empty())
            fail("a descriptor after the samples of " + name);
        if (keyword == "TYPE") {
            if (!f.type.empty())
                fail("a second TYPE");
            f.type = rest;
        } else if (keyword == "HELP") {
            std::size_t i = 0;
            f.help = unescape(rest, i, '\0');
        } else if (keyword == "UNIT") {
            f.unit = rest;
            if (name.size() <= rest.size() ||
                name.compare(name.size() - rest.size() - 1, std::string::npos, "_" + rest) != 0)
                fail("unit " + rest + " is not the suffix of " + name);
        } else {
            fail("unknown descriptor " + keyword);
        }
    }

    // Label values and HELP: \\, \" and \n are the escapes; `stop` ends the string.
    std::string unescape(const std::string& s, std::size_t& i, char stop) {
        std::string out;
        for (; i < s.size() && s[i] != stop; ++i) {
            if (s[i] == '\n' || (stop == '"' && s[i] == '"'))
                fail("an unescaped character");
            if (s[i] != '\\') {
                out.push_back(s[i]);
                continue;
            }
            if (++i == s.size())
                fail("a backslash at the end");
            if (s[i] == 'n')
                out.push_back('\n');
            else if (s[i] == '\\' || s[i] == '"')
                out.push_back(s[i]);
            else
                fail(std::string("an unknown escape \\") + s[i]);
        }
        return out;
    }

    void sample(const std::string& line, std::vector<ParsedFamily>& families) {
        ParsedSample s;
        std::size_t i = metric_name_end(line, 0);
        s.name = line.substr(0, i);
        if (s.name.empty())
            fail("a sample without a name");
        if (families.empty() || families.back().name != s.name)
            fail("sample " + s.name + " outside its family");
        if (families.back().type != "gauge")
            fail("family " + s.name + " is not a gauge");
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (i < line.size() && line[i] != '}') {
                const std::size_t start = i;
                while (i < line.size() && name_char(line[i], i == start) && line[i] != ':')
                    ++i;
                const std::string label = line.substr(start, i - start);
                if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
                    fail("a label without =\"");
                i += 2;
                std::string value = unescape(line, i, '"');
                if (i == line.size())
                    fail("a label value never closed");
                ++i;
                if (s.labels.count(label))
                    fail("label " + label + " twice");
                s.labels[label] = value;
                s.label_order.push_back(label);
                if (i < line.size() && line[i] == ',')
                    ++i;
            }
            if (i == line.size())
                fail("labels never closed");
            ++i;
        }
        if (i >= line.size() || line[i] != ' ')
            fail("no space before the value");
        ++i;
        const std::size_t value_end = line.find(' ', i);
        s.value_text = line.substr(i, value_end - i);
        std::size_t used = 0;
        try {
            s.value = std::stod(s.value_text, &used);
        } catch (const std::logic_error&) {
        }
        if (used == 0 || used != s.value_text.size())
            fail("value " + s.value_text + " is not a number");
        if (value_end != std::string::npos) {
            const std::string ts = line.substr(value_end + 1);
            used = 0;
            try {
                s.timestamp = std::stoll(ts, &used);
            } catch (const std::logic_error&) {
            }
            if (used == 0 || used != ts.size())
                fail("timestamp " + ts + " is not a number");
        }
        families.back().samples.push_back(std::move(s));
    }

    std::string text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 0;
};

std::vector<ParsedFamily> parse(const std::string& text) {
    return Parser(text).parse();
}

const ParsedFamily& family(const std::vector<ParsedFamily>& families, const std::string& name) {
    for (const ParsedFamily& f : families) {
        if (f.name == name)
            return f;
    }
    throw std::runtime_error("no family " + name);
}

// The sample of `family` whose server label is `server`.
const ParsedSample* sample_of(const ParsedFamily& f, const std::string& server) {
    for (const ParsedSample& s : f.samples) {
        if (s.labels.at("server") == server)
            return &s;
    }
    return nullptr;
}

// status's gauges; `forecast`: with the forecasts (add_forecasts), as fostat-query runs it.
std::string status_text(SQLite::Database& db, bool timestamps, bool forecast = false) {
    SampleReader reader(db);
    StatusResult result = scope_status(reader, {}, StatusOptions{});
    if (forecast)
        add_forecasts(db, {}, TrendOptions{}, result);
    std::ostringstream out;
    write_status_openmetrics(out, result, timestamps);
    return out.str();
}

TEST(OpenMetrics, LabelValuesAndHelpAreEscapedAndReadBack) {
    const std::string tricky = "a\\b\"c\nd{e}=f,g";
    std::ostringstream out;
    OpenMetricsWriter w(out);
    w.gauge("x_seconds", "Help with a \\ backslash,\na line feed and a \" quote.", "seconds");
    w.sample(label_set({{"server", tricky}, {"scope", ""}}), 1.5);
    w.sample(label_set({{"server", "b"}}), std::int64_t{7}, 1795507200);
    w.finish();
    const std::string text = out.str();
    EXPECT_NE(text.find(R"(server="a\\b\"c\nd{e}=f,g")"), std::string::npos) << text;
    const auto families = parse(text);
    ASSERT_EQ(families.size(), 1u);
    EXPECT_EQ(families[0].help, "Help with a \\ backslash,\na line feed and a \" quote.");
    EXPECT_EQ(families[0].unit, "seconds");
    ASSERT_EQ(families[0].samples.size(), 2u);
    EXPECT_EQ(families[0].samples[0].labels.at("server"), tricky);
    EXPECT_EQ(families[0].samples[0].labels.at("scope"), "");
    EXPECT_EQ(families[0].samples[0].value, 1.5);
    EXPECT_EQ(families[0].samples[1].value_text, "7");
    EXPECT_EQ(families[0].samples[1].timestamp, 1795507200);
}

TEST(OpenMetrics, BytesThatAreNotUtf8BecomeReplacementCharacters) {
    // Valid UTF-8 stays; a lone continuation byte, a truncated sequence, an overlong form
    // and a surrogate each become U+FFFD per byte.
    EXPECT_EQ(label_set({{"a", "Zürich ✓ 𝄞"}}), "{a=\"Zürich ✓ 𝄞\"}");
    EXPECT_EQ(label_set({{"a", "x\x80y"}}), "{a=\"x\xEF\xBF\xBDy\"}");
    EXPECT_EQ(label_set({{"a", "\xC3"}}), "{a=\"\xEF\xBF\xBD\"}");
    EXPECT_EQ(label_set({{"a", "\xC0\xAF"}}), "{a=\"\xEF\xBF\xBD\xEF\xBF\xBD\"}");
    EXPECT_EQ(label_set({{"a", "\xED\xA0\x80"}}), "{a=\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}

TEST(OpenMetrics, StatusIsOneGaugePerFigureEndingInEof) {
    auto db = open_database(":memory:", Access::read_write);
    Sample crowded = sample_at(kT0, "dhcp1", "10.1.2.0/24", 230);     // 90.6 %: critical
    Sample warm = sample_at(kT0 + 300, "dhcp2", "10.1.2.0/24", 210);  // 82.7 %: warning
    warm.relationship.expected_share = 33.5;
    warm.relationship.state = State::partner_down;
    warm.relationship.mode = Mode::hot_standby;
    store(*db, {crowded, warm});
    const std::string text = status_text(*db, false);
    ASSERT_GE(text.size(), 6u);
    EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
    const auto families = parse(text);

    std::vector<std::string> names;
    for (const ParsedFamily& f : families) {
        names.push_back(f.name);
        EXPECT_EQ(f.type, "gauge") << f.name;
        EXPECT_FALSE(f.help.empty()) << f.name;
        EXPECT_EQ(f.name.find("_total"), std::string::npos) << "a gauge is not a counter";
        for (const ParsedSample& s : f.samples) {
            EXPECT_EQ(s.label_order, (std::vector<std::string>{"server", "relationship", "scope",
                                                               "mode", "state"}));
            EXPECT_FALSE(s.timestamp.has_value());
        }
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{
                  "fostat_scope_addresses", "fostat_scope_addresses_free",
                  "fostat_scope_addresses_in_use", "fostat_scope_addresses_free_partner",
                  "fostat_scope_addresses_free_this", "fostat_scope_addresses_in_use_partner",
                  "fostat_scope_addresses_in_use_this", "fostat_scope_utilization_ratio",
                  "fostat_scope_expected_share_ratio", "fostat_scope_severity",
                  "fostat_scope_sample_timestamp_seconds",
                  "fostat_scope_earliest_exhaustion_timestamp_seconds"}));

    const auto value = [&](const std::string& name, const std::string& server) {
        const ParsedSample* s = sample_of(family(families, name), server);
        return s ? s->value : -1;
    };
    EXPECT_EQ(value("fostat_scope_addresses", "dhcp1"), 254);
    EXPECT_EQ(value("fostat_scope_addresses_free", "dhcp1"), 24);
    EXPECT_EQ(value("fostat_scope_addresses_in_use", "dhcp1"), 230);
    EXPECT_EQ(value("fostat_scope_addresses_free_partner", "dhcp1"), 12);
    EXPECT_EQ(value("fostat_scope_addresses_in_use_this", "dhcp2"), 105);
    EXPECT_DOUBLE_EQ(value("fostat_scope_utilization_ratio", "dhcp1"), 230.0 / 254);
    EXPECT_DOUBLE_EQ(value("fostat_scope_expected_share_ratio", "dhcp1"), 0.5);
    EXPECT_DOUBLE_EQ(value("fostat_scope_expected_share_ratio", "dhcp2"), 0.335);
    EXPECT_EQ(value("fostat_scope_severity", "dhcp1"), 2);
    EXPECT_EQ(value("fostat_scope_severity", "dhcp2"), 1);
    EXPECT_EQ(value("fostat_scope_sample_timestamp_seconds", "dhcp2"), kT0 + 300);
    EXPECT_EQ(family(families, "fostat_scope_addresses").samples[0].value_text, "254");
    EXPECT_EQ(family(families, "fostat_scope_utilization_ratio").unit, "ratio");
    EXPECT_EQ(family(families, "fostat_scope_sample_timestamp_seconds").unit, "seconds");

    const ParsedSample& second = *sample_of(family(families, "fostat_scope_addresses"), "dhcp2");
    EXPECT_EQ(second.labels.at("relationship"), "dhcp1-dhcp2");
    EXPECT_EQ(second.labels.at("scope"), "10.1.2.0/24");
    EXPECT_EQ(second.labels.at("mode"), "hot-standby");
    EXPECT_EQ(second.labels.at("state"), "partner-down");
}

TEST(OpenMetrics, NullCountersAndUnknownUtilizationAreLeftOut) {
    auto db = open_database(":memory:", Access::read_write);
    Sample unknown = sample_at(kT0, "dhcp1", "10.1.2.0/24");
    unknown.counters[Counter::addr_in_use].reset();
    unknown.counters[Counter::this_addr_free].reset();
    store(*db, {unknown, sample_at(kT0, "dhcp2", "10.1.2.0/24")});
    const auto families = parse(status_text(*db, false));
    EXPECT_EQ(sample_of(family(families, "fostat_scope_addresses_in_use"), "dhcp1"), nullptr);
    EXPECT_EQ(sample_of(family(families, "fostat_scope_addresses_free_this"), "dhcp1"), nullptr);
    EXPECT_EQ(sample_of(family(families, "fostat_scope_utilization_ratio"), "dhcp1"), nullptr);
    EXPECT_NE(sample_of(family(families, "fostat_scope_addresses_free"), "dhcp1"), nullptr);
    EXPECT_NE(sample_of(family(families, "fostat_scope_addresses_in_use"), "dhcp2"), nullptr);
    // Unknown utilization is not a finding: severity 0, as the exit status counts it.
    EXPECT_EQ(sample_of(family(families, "fostat_scope_severity"), "dhcp1")->value, 0);
}

TEST(OpenMetrics, TimestampsAreTheSampleTimeInSeconds) {
    auto db = open_database(":memory:", Access::read_write);
    store(*db, {sample_at(kT0, "dhcp1"), sample_at(kT0 + 600, "dhcp2")});
    const auto families = parse(status_text(*db, true));
    for (const ParsedFamily& f : families) {
        if (f.name == "fostat_scope_earliest_exhaustion_timestamp_seconds") {
            EXPECT_TRUE(f.samples.empty());  // no history to forecast from
            continue;
        }
        ASSERT_EQ(f.samples.size(), 2u) << f.name;
        EXPECT_EQ(sample_of(f, "dhcp1")->timestamp, kT0) << f.name;
        EXPECT_EQ(sample_of(f, "dhcp2")->timestamp, kT0 + 600) << f.name;
    }
}

TEST(OpenMetrics, TheEarliestExhaustionIsATimeInSecondsAndLeftOutWithoutOne) {
    // 10.1.2.0/24 grows 20 addresses a day from 100 over 5 days (hourly samples): it runs out
    // within the horizon; 10.1.3.0/24 stays at 100 and does not.
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    std::vector<Sample> samples;
    for (std::int64_t h = 0; h <= 5 * 24; ++h) {
        const std::int64_t t = kT0 - 5 * 86'400 + h * 3600;
        samples.push_back(sample_at(t, "dhcp1", "10.1.2.0/24", 100 + 20 * h / 24));
        samples.push_back(sample_at(t, "dhcp1", "10.1.3.0/24", 100));
    }
    store(*db, samples);
    const auto families = parse(status_text(*db, false, true));
    const ParsedFamily& f = family(families, "fostat_scope_earliest_exhaustion_timestamp_seconds");
    EXPECT_EQ(f.unit, "seconds");
    ASSERT_EQ(f.samples.size(), 1u);
    EXPECT_EQ(f.samples[0].labels.at("scope"), "10.1.2.0/24");
    // 200 in use at kT0, 254 about 2.7 days later; the earliest likely no later than that.
    EXPECT_GT(f.samples[0].value, kT0);
    EXPECT_LE(f.samples[0].value, kT0 + 3 * 86'400);
    EXPECT_EQ(f.samples[0].value_text.find_first_not_of("0123456789"), std::string::npos);
    // Its forecast makes it critical: the severity gauge follows.
    EXPECT_EQ(sample_of(family(families, "fostat_scope_severity"), "dhcp1")->value, 2);
}

TEST(OpenMetrics, ServerNamesOfAnyTextSurviveTheRoundTrip) {
    auto db = open_database(":memory:", Access::read_write);
    const std::string name = "=HYPERLINK(\"x\")\\\nsecond line";
    // fostat stores no line break in a name now; a database of an older version may hold one.
    store(*db, {sample_at(kT0, "placeholder")});
    SQLite::Statement rename(*db, "UPDATE series SET server = ?");
    rename.bind(1, name);
    rename.exec();
    const auto families = parse(status_text(*db, false));
    EXPECT_NE(sample_of(family(families, "fostat_scope_addresses"), name), nullptr);
}

TEST(OpenMetrics, TheParserRefusesWhatIsNotOpenMetrics) {
    const std::string ok = "# TYPE a gauge\na 1\n";
    EXPECT_NO_THROW(parse(ok + "# EOF\n"));
    EXPECT_THROW(parse(ok), std::runtime_error);                   // no # EOF
    EXPECT_THROW(parse(ok + "# EOF\na 2\n"), std::runtime_error);  // after # EOF
    EXPECT_THROW(parse("a 1\n# EOF\n"), std::runtime_error);       // no family
    EXPECT_THROW(parse("# TYPE a gauge\na{b=\"x\ny\"} 1\n# EOF\n"), std::runtime_error);
    EXPECT_THROW(parse("# TYPE a gauge\na{b=\"\\t\"} 1\n# EOF\n"), std::runtime_error);
    EXPECT_THROW(parse("# TYPE a gauge\na one\n# EOF\n"), std::runtime_error);
    EXPECT_THROW(parse("# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n"),
                 std::runtime_error);
    EXPECT_THROW(parse(ok + "# TYPE b gauge\nb 1\n# TYPE a gauge\n# EOF\n"), std::runtime_error);
}

}  // namespace
}  // namespace fostat
