#include "fostat/time_text.h"

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fostat/error.h"

namespace fostat {
namespace {

using namespace std::string_literals;

// Expected Unix times below were computed independently with GNU date, e.g.
// `date -u -d 2026-11-24T08:00:00Z +%s`, and `TZ=Europe/Berlin date -d @N +%FT%T%:z`.
constexpr std::int64_t k20261124T080000Z = 1795507200;

struct TimeCase {
    std::string text;
    std::int64_t expected;
};

// The message of the InputError that `action` throws; fails the test if it throws nothing
// or something else.
template <typename Action>
std::string input_error_message(Action action) {
    try {
        action();
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw something other than InputError: " << e.what();
        return {};
    }
    ADD_FAILURE() << "did not throw";
    return {};
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool has_control_or_non_ascii(const std::string& text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return true;
        }
    }
    return false;
}

std::int64_t reference_unix(int y, unsigned m, unsigned d) {
    const date::sys_days day{date::year{y} / date::month{m} / date::day{d}};
    return static_cast<std::int64_t>(day.time_since_epoch().count()) * 86400;
}

const std::vector<TimeCase> kKnownInstants = {
    {"2026-11-24T08:00:00Z", k20261124T080000Z},
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59Z", -1},
    {"2000-02-29T12:34:56Z", 951827696},
    {"2024-02-29T00:00:00Z", 1709164800},
    {"2024-12-31T23:59:59Z", 1735689599},
    {"1900-03-01T00:00:00Z", -2203891200},
    {"2100-02-28T23:59:59Z", 4107542399},
    {"2100-03-01T00:00:00Z", 4107542400},
    {"9999-12-31T23:59:59Z", 253402300799},
    {"0000-01-01T00:00:00Z", -62167219200},
    {"0001-01-01T00:00:00Z", -62135596800},
    {"2038-01-19T03:14:08Z", 2147483648},
    {"1600-02-29T06:07:08Z", -11670976372},
    {"1955-07-15T13:45:30Z", -456488070},
    {"2026-07-01T12:00:00Z", 1782907200},
};

TEST(TimeText, CanonicalParsesKnownInstants) {
    for (const TimeCase& c : kKnownInstants) {
        EXPECT_EQ(parse_canonical_timestamp(c.text), std::optional<std::int64_t>(c.expected))
            << c.text;
    }
}

TEST(TimeText, CanonicalAcceptsLeapDaysOnlyInLeapYears) {
    EXPECT_EQ(parse_canonical_timestamp("2024-02-29T00:00:00Z"), 1709164800);
    EXPECT_EQ(parse_canonical_timestamp("2000-02-29T00:00:00Z"), 951782400);
    EXPECT_EQ(parse_canonical_timestamp("2023-02-29T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_canonical_timestamp("1900-02-29T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_canonical_timestamp("2100-02-29T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_canonical_timestamp("2024-02-30T00:00:00Z"), std::nullopt);
}

// Every day of every month from 1899 to 2401 (all leap-year rules, twice), and the day after
// each month's last, against the date library's own calendar.
TEST(TimeText, CanonicalAgreesWithDateLibraryOnEveryDay) {
    char text[32];
    for (int y = 1899; y <= 2401; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            const unsigned last =
                static_cast<unsigned>((date::year{y} / date::month{m} / date::last).day());
            for (unsigned d = 1; d <= last + 1; ++d) {
                std::snprintf(text, sizeof text, "%04d-%02u-%02uT23:59:58Z", y, m, d);
                const auto parsed = parse_canonical_timestamp(text);
                if (d <= last) {
                    ASSERT_EQ(parsed, reference_unix(y, m, d) + 86398) << text;
                } else {
                    ASSERT_EQ(parsed, std::nullopt) << text;
                }
            }
        }
    }
}

TEST(TimeText, CanonicalRefusesAnythingElse) {
    const std::vector<std::string> refused = {
        "",
        "xyz",
        "2026-11-24T08:00:00",   // no zone
        "2026-11-24T08:00:00z",  // only the exact canonical form
        "2026-11-24t08:00:00Z",  //
        "2026-11-24 08:00:00Z",  //
        "2026-11-24T08:00:00+00:00",
        "2026-11-24T08:00:00.5Z",  // fraction
        "2026-11-24T08:00Z",       // no seconds
        "2026-11-24T08:00:00ZZ",   // one too long
        " 2026-11-24T08:00:00Z",   //
        "2026-11-24T08:00:00Z ",   //
        "2026-13-01T00:00:00Z",    // month 13
        "2026-00-10T00:00:00Z",    // month 0
        "2026-11-00T00:00:00Z",    // day 0
        "2026-11-31T00:00:00Z",    // November has 30 days
        "2026-04-31T00:00:00Z",    //
        "2026-01-32T00:00:00Z",    //
        "2023-02-29T00:00:00Z",    // not a leap year
        "2026-11-24T24:00:00Z",    // hour 24
        "2026-11-24T23:60:00Z",    // minute 60
        "2026-11-24T23:59:60Z",    // leap second: refused
        "2026-11-24T99:99:99Z",    //
        "+026-11-24T08:00:00Z",    // sign where a digit belongs
        "2026-1-024T08:00:00Z",    // misplaced separator
        "2026/11/24T08:00:00Z",    //
        "2026-11-24T08.00.00Z",    //
        "2026-11-24T0８:00:0Z",    // a multi-byte digit lookalike
        "2026-11-24T08:00:0\0Z"s,  // embedded NUL
        "\xff\xfe\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"s,
    };
    for (const std::string& text : refused) {
        EXPECT_EQ(parse_canonical_timestamp(text), std::nullopt) << text;
    }
}

// A non-digit in any digit position, or anything else in any separator position, is refused.
TEST(TimeText, CanonicalChecksEveryPosition) {
    const std::string valid = "2026-11-24T08:00:00Z";
    ASSERT_TRUE(parse_canonical_timestamp(valid).has_value());
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const bool digit = valid[i] >= '0' && valid[i] <= '9';
        for (const char replacement : {'/', ':', '-', 'a', 'T', ' ', '\0', '\x80', '\xff',
                                       static_cast<char>('0' - 1), static_cast<char>('9' + 1)}) {
            if (replacement == valid[i] || (!digit && replacement >= '0' && replacement <= '9')) {
                continue;
            }
            std::string text = valid;
            text[i] = replacement;
            EXPECT_EQ(parse_canonical_timestamp(text), std::nullopt)
                << "position " << i << " replaced by byte " << int(replacement);
        }
        if (!digit) {
            std::string text = valid;
            text[i] = '0';
            EXPECT_EQ(parse_canonical_timestamp(text), std::nullopt) << text;
        }
    }
}

// The canonical form is also what format_utc writes: over 0001..9999, every instant written
// parses back, both by the fast path and by the general path (with a ' ' separator).
TEST(TimeText, FormatUtcRoundTripsAndMatchesDateLibrary) {
    const std::int64_t first = -62135596800;  // 0001-01-01T00:00:00Z
    const std::int64_t last = 253402300799;   // 9999-12-31T23:59:59Z
    const std::int64_t step = 37 * 86400 + 3661 + 13;
    int checked = 0;
    for (std::int64_t t = first; t <= last; t += step) {
        const std::string text = format_utc(t);
        const std::string reference =
            date::format("%Y-%m-%dT%H:%M:%SZ", date::sys_seconds{std::chrono::seconds{t}});
        ASSERT_EQ(text, reference) << t;
        ASSERT_EQ(parse_canonical_timestamp(text), t) << text;
        std::string spaced = text;
        spaced[10] = ' ';
        ASSERT_EQ(parse_timestamp(spaced), t) << spaced;
        ++checked;
    }
    EXPECT_GT(checked, 80000);
    EXPECT_EQ(format_utc(last), "9999-12-31T23:59:59Z");
}

TEST(TimeText, FormatUtcKnownInstants) {
    for (const TimeCase& c : kKnownInstants) {
        EXPECT_EQ(format_utc(c.expected), c.text) << c.expected;
    }
    EXPECT_EQ(format_utc(-86400), "1969-12-31T00:00:00Z");
    EXPECT_EQ(format_utc(-86401), "1969-12-30T23:59:59Z");
    EXPECT_EQ(format_utc(86399), "1970-01-01T23:59:59Z");
}

TEST(TimeText, FormatUtcWritesYearsOutsideFourDigits) {
    EXPECT_EQ(format_utc(-62167219201), "-0001-12-31T23:59:59Z");
    EXPECT_EQ(format_utc(253402300800), "10000-01-01T00:00:00Z");
    // Extremes must not crash or overflow; they only need to be well-formed.
    for (const std::int64_t t :
         {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
        const std::string text = format_utc(t);
        EXPECT_EQ(text.back(), 'Z') << text;
        EXPECT_GT(text.size(), 20u) << text;
    }
}

TEST(TimeText, ParseTimestampAcceptsOffsets) {
    const std::vector<TimeCase> cases = {
        {"2026-11-24T09:00:00+01:00", k20261124T080000Z},
        {"2026-11-24T09:00:00+0100", k20261124T080000Z},
        {"2026-11-24T09:00:00+01", k20261124T080000Z},
        {"2026-11-24T03:00:00-05:00", k20261124T080000Z},
        {"2026-11-24T03:00:00-0500", k20261124T080000Z},
        {"2026-11-24T03:00:00-05", k20261124T080000Z},
        {"2026-11-24T13:30:00+05:30", k20261124T080000Z},
        {"2026-11-24T13:30:00+0530", k20261124T080000Z},
        {"2026-11-24T02:30:00-05:30", k20261124T080000Z},
        {"2026-11-24T08:00:00+00:00", k20261124T080000Z},
        {"2026-11-24T08:00:00-00:00", k20261124T080000Z},
        {"2026-11-24T22:00:00+14:00", k20261124T080000Z},
        {"2026-11-24T08:00:00Z", k20261124T080000Z},
        {"2026-11-24T08:00:00z", k20261124T080000Z},
        // An offset that moves the instant across midnight, the year and 1970.
        {"2026-11-25T00:30:00+16:30", k20261124T080000Z},
        {"2027-01-01T00:30:00+01:00", 1798759800},
        {"1970-01-01T00:59:59+01:00", -1},
        {"1969-12-31T19:00:00-05:00", 0},
    };
    for (const TimeCase& c : cases) {
        EXPECT_EQ(parse_timestamp(c.text), c.expected) << c.text;
    }
}

TEST(TimeText, ParseTimestampTruncatesFractionalSeconds) {
    const std::vector<TimeCase> cases = {
        {"2026-11-24T08:00:00.5Z", k20261124T080000Z},
        {"2026-11-24T08:00:00.000Z", k20261124T080000Z},
        {"2026-11-24T08:00:00.999999999999999999999Z", k20261124T080000Z},
        {"2026-11-24T08:00:59.999Z", k20261124T080000Z + 59},
        {"2026-11-24T08:00:00,25Z", k20261124T080000Z},
        {"2026-11-24T09:00:00.75+01:00", k20261124T080000Z},
        {"2026-11-24 09:00:00.123456+0100", k20261124T080000Z},
        // Toward the earlier second also before 1970.
        {"1969-12-31T23:59:59.5Z", -1},
        {"1969-12-31T23:59:58.999Z", -2},
    };
    for (const TimeCase& c : cases) {
        EXPECT_EQ(parse_timestamp(c.text), c.expected) << c.text;
    }
}

TEST(TimeText, ParseTimestampAcceptsSpaceLowercaseAndMissingSeconds) {
    const std::vector<TimeCase> cases = {
        {"2026-11-24 08:00:00Z", k20261124T080000Z},
        {"2026-11-24t08:00:00z", k20261124T080000Z},
        {"2026-11-24 09:00:00+01:00", k20261124T080000Z},
        {"2026-11-24T08:00Z", k20261124T080000Z},
        {"2026-11-24 09:00+01:00", k20261124T080000Z},
        {"2024-02-29 12:00:00Z", 1709164800 + 12 * 3600},
    };
    for (const TimeCase& c : cases) {
        EXPECT_EQ(parse_timestamp(c.text), c.expected) << c.text;
    }
}

TEST(TimeText, ParseTimestampRefusesMissingZone) {
    EXPECT_EQ(input_error_message([] { parse_timestamp("2026-11-24T08:00:00"); }),
              "'2026-11-24T08:00:00' has no zone: add Z (UTC) or an offset like +01:00");
    for (const char* text : {"2026-11-24 08:00:00", "2026-11-24T08:00", "2026-11-24T08:00:00.5"}) {
        const std::string message = input_error_message([&] { parse_timestamp(text); });
        EXPECT_EQ(message, "'"s + text + "' has no zone: add Z (UTC) or an offset like +01:00");
    }
}

TEST(TimeText, ParseTimestampRefusesNonTimes) {
    const std::vector<std::string> refused = {
        "",
        "xyz",
        "now",
        "-7d",
        "1795507200",
        "2026-11-24",                 // a date alone is for parse_time_option
        "2026-13-01T00:00:00Z",       // month 13
        "2026-00-01T00:00:00Z",       //
        "2026-02-29T00:00:00Z",       // not a leap year
        "2026-11-31T00:00:00+01:00",  //
        "2026-11-24T24:00:00Z",       // hour 24
        "2026-11-24T24:00:00+01:00",  //
        "2026-11-24T23:60:00Z",       //
        "2026-11-24T8:00:00Z",        // one-digit hour
        "26-11-24T08:00:00Z",         // two-digit year
        "2026-1-24T08:00:00Z",        //
        "2026-11-24T08:00:00.Z",      // a point without digits
        "2026-11-24T08:00.5Z",        // fraction of a minute
        "2026-11-24T08:00:00+1",      // offsets
        "2026-11-24T08:00:00+1:00",   //
        "2026-11-24T08:00:00+01:0",   //
        "2026-11-24T08:00:00+01:00:00",
        "2026-11-24T08:00:00+24:00",   //
        "2026-11-24T08:00:00+01:60",   //
        "2026-11-24T08:00:00+",        //
        "2026-11-24T08:00:00 +01:00",  //
        "2026-11-24T08:00:00 Z",       //
        "2026-11-24T08:00:00UTC",      //
        "2026-11-24T08:00:00ZZ",       //
        "2026-11-24T08:00:00Z ",       //
        " 2026-11-24T08:00:00Z",       //
        "2026-11-24X08:00:00Z",        //
        "2026-11-24  08:00:00Z",       //
        "2026-11-24T08:00:00Z\n",      //
        "2026-11-24T08:00:00Z\0"s,     //
        "\x01\x02\xff\xfe garbage \x7f"s,
    };
    for (const std::string& text : refused) {
        const std::string message = input_error_message([&] { parse_timestamp(text); });
        EXPECT_TRUE(starts_with(message, "'")) << "input " << text << " gave message " << message;
        EXPECT_NE(message.find("' is not a time: expected ISO 8601 such as 2026-11-24T08:00:00Z"),
                  std::string::npos)
            << message;
    }
    EXPECT_EQ(input_error_message([] { parse_timestamp("xyz"); }),
              "'xyz' is not a time: expected ISO 8601 such as 2026-11-24T08:00:00Z");
    EXPECT_EQ(input_error_message([] { parse_timestamp("2026-13-01T00:00:00Z"); }),
              "'2026-13-01T00:00:00Z' is not a time: expected ISO 8601 such as "
              "2026-11-24T08:00:00Z");
}

TEST(TimeText, MessagesBoundAndSanitiseTheQuotedText) {
    const std::string huge(100000, 'x');
    const std::string message = input_error_message([&] { parse_timestamp(huge); });
    EXPECT_LT(message.size(), 200u);
    EXPECT_EQ(message, "'" + std::string(40, 'x') +
                           "...' is not a time: expected ISO 8601 such as "
                           "2026-11-24T08:00:00Z");

    const std::string exactly_forty(40, 'y');
    EXPECT_EQ(input_error_message([&] { parse_timestamp(exactly_forty); }).find("..."),
              std::string::npos);

    const std::string binary = "ab\x01\n\r\t\x7f\x80\xff\0cd"s;
    const std::string binary_message = input_error_message([&] { parse_timestamp(binary); });
    EXPECT_TRUE(
        starts_with(binary_message, "'ab\\x01\\n\\r\\t\\x7f\\x80\\xff\\x00cd' is not a time"))
        << binary_message;
    EXPECT_FALSE(has_control_or_non_ascii(binary_message));

    const std::string duration_message = input_error_message(
        [&] { parse_duration("5\x01\xffxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"); });
    EXPECT_TRUE(starts_with(duration_message, "'5\\x01\\xffxxxxx")) << duration_message;
    EXPECT_NE(duration_message.find("...'"), std::string::npos) << duration_message;
    EXPECT_FALSE(has_control_or_non_ascii(duration_message));
    // The messages never name a file: callers add the place.
    EXPECT_EQ(message.find(".csv"), std::string::npos);
}

TEST(TimeText, ParseTimeOptionAcceptsAllForms) {
    const std::int64_t now = k20261124T080000Z;
    const std::vector<TimeCase> cases = {
        {"now", now},
        {"-7d", now - 7 * 86400},
        {"-12h", now - 12 * 3600},
        {"+1h", now + 3600},
        {"-1h30m", now - 5400},
        {"-30s", now - 30},
        {"+2w", now + 14 * 86400},
        {"2026-11-24", 1795478400},
        {"2024-02-29", 1709164800},
        {"1969-12-31", -86400},
        {"2026-11-24T08:00:00Z", k20261124T080000Z},
        {"2026-11-24T09:00:00+01:00", k20261124T080000Z},
        {"2026-11-24 09:00:00.5+0100", k20261124T080000Z},
    };
    for (const TimeCase& c : cases) {
        EXPECT_EQ(parse_time_option(c.text, now), c.expected) << c.text;
    }
    // Relative times follow the given now, not the clock.
    EXPECT_EQ(parse_time_option("-1d", 0), -86400);
    EXPECT_EQ(parse_time_option("now", 42), 42);
}

TEST(TimeText, ParseTimeOptionRefusesWithTheAcceptedForms) {
    const std::int64_t now = k20261124T080000Z;
    const std::string forms =
        " is not a time: expected 2026-11-24T08:00:00Z, 2026-11-24T09:00:00+01:00, a date "
        "2026-11-24 (midnight UTC), now, or relative to now like -7d, -12h, +1h";
    for (const std::string text :
         {"", "xyz", "Now", "yesterday", "2026-13-01", "2023-02-29", "2026-11-3x", "2026/11/24",
          "2026-11-24Z", "20261124", "2026-11-24T25:00:00Z", "7d"}) {
        EXPECT_EQ(input_error_message([&] { parse_time_option(text, now); }),
                  "'" + text + "'" + forms)
            << text;
    }
    EXPECT_EQ(input_error_message([&] { parse_time_option("2026-11-24T08:00:00", now); }),
              "'2026-11-24T08:00:00' has no zone: add Z (UTC) or an offset like +01:00");
    EXPECT_EQ(input_error_message([&] { parse_time_option("-7", now); }),
              "'-7' is not a relative time: add a unit: s, m, h, d or w (e.g. -7d, -12h, +1h)");
    EXPECT_EQ(input_error_message([&] { parse_time_option("-", now); }),
              "'-' is not a relative time: expected a number and a unit such as 30s, 5m, 1h, "
              "1d, 1w or 1h30m (e.g. -7d, -12h, +1h)");
    for (const char* text : {"-0s", "--7d", "+-1h", "-7y", "-1.5h", "-30m1h", "- 7d"}) {
        EXPECT_TRUE(starts_with(input_error_message([&] { parse_time_option(text, now); }),
                                "'"s + text + "' is not a relative time: "))
            << text;
    }
    EXPECT_TRUE(starts_with(input_error_message([] {
                                parse_time_option("-1d", std::numeric_limits<std::int64_t>::min());
                            }),
                            "'-1d' is too far from now"));
}

TEST(TimeText, ParseDurationReadsUnitsAndCombinations) {
    const std::vector<TimeCase> cases = {
        {"30s", 30},
        {"1s", 1},
        {"5m", 300},
        {"1h", 3600},
        {"1d", 86400},
        {"1w", 604800},
        {"90m", 5400},
        {"1h30m", 5400},
        {"1d12h", 129600},
        {"2w3d4h5m6s", 2 * 604800 + 3 * 86400 + 4 * 3600 + 5 * 60 + 6},
        {"1h0m", 3600},
        {"0h1s", 1},
        {"007m", 420},
        {"36525d", 3155760000},  // 100 years: the largest accepted
        {"3155760000s", 3155760000},
    };
    for (const TimeCase& c : cases) {
        EXPECT_EQ(parse_duration(c.text), c.expected) << c.text;
    }
}

TEST(TimeText, ParseDurationRefuses) {
    struct Refusal {
        std::string text;
        std::string message;
    };
    const std::vector<Refusal> cases = {
        {"",
         "'' is not a duration: expected a number and a unit such as 30s, 5m, 1h, 1d, 1w or "
         "1h30m"},
        {"30", "'30' is not a duration: add a unit: s, m, h, d or w"},
        {"1h30", "'1h30' is not a duration: add a unit: s, m, h, d or w"},
        {"0s", "'0s' is not a duration: it must be greater than zero"},
        {"0h0m", "'0h0m' is not a duration: it must be greater than zero"},
        {"-5m", "'-5m' is not a duration: it must be greater than zero"},
        {"5y", "'5y' is not a duration: unknown unit 'y': use s, m, h, d or w"},
        {"5H", "'5H' is not a duration: unknown unit 'H': use s, m, h, d or w"},
        {"5\x01", "'5\\x01' is not a duration: unknown unit: use s, m, h, d or w"},
        {"h",
         "'h' is not a duration: expected a number and a unit such as 30s, 5m, 1h, 1d, 1w "
         "or 1h30m"},
        {"1.5h", "'1.5h' is not a duration: unknown unit '.': use s, m, h, d or w"},
        {"1hm",
         "'1hm' is not a duration: expected a number and a unit such as 30s, 5m, 1h, 1d, "
         "1w or 1h30m"},
        {"+5m",
         "'+5m' is not a duration: expected a number and a unit such as 30s, 5m, 1h, 1d, "
         "1w or 1h30m"},
        {" 5m",
         "' 5m' is not a duration: expected a number and a unit such as 30s, 5m, 1h, 1d, "
         "1w or 1h30m"},
        {"1h 30m",
         "'1h 30m' is not a duration: expected a number and a unit such as 30s, 5m, "
         "1h, 1d, 1w or 1h30m"},
        {"30m1h",
         "'30m1h' is not a duration: units go from largest to smallest, each once, as in "
         "1d12h or 1h30m"},
        {"1m1m",
         "'1m1m' is not a duration: units go from largest to smallest, each once, as in "
         "1d12h or 1h30m"},
        {"36526d", "'36526d' is not a duration: longer than 100 years"},
        {"5218w", "'5218w' is not a duration: longer than 100 years"},
        {"3155760001s", "'3155760001s' is not a duration: longer than 100 years"},
        {"36525d1s", "'36525d1s' is not a duration: longer than 100 years"},
        {"99999999999999999999999s",
         "'99999999999999999999999s' is not a duration: longer than 100 years"},
        {"9223372036854775807w", "'9223372036854775807w' is not a duration: longer than 100 years"},
    };
    for (const Refusal& c : cases) {
        EXPECT_EQ(input_error_message([&] { parse_duration(c.text); }), c.message) << c.text;
    }
}

TEST(TimeText, FormatDurationUsesLargestUnitsFirst) {
    const std::vector<std::pair<std::int64_t, std::string>> cases = {
        {1, "1s"},
        {59, "59s"},
        {60, "1m"},
        {300, "5m"},
        {3600, "1h"},
        {5400, "1h30m"},
        {86400, "1d"},
        {90061, "1d1h1m1s"},
        {604800, "1w"},
        {604801, "1w1s"},
        {1209600, "2w"},
        {129600, "1d12h"},
        {3155760000, "5217w6d"},
        {0, "0s"},
        {-300, "-5m"},
    };
    for (const auto& [seconds, text] : cases) {
        EXPECT_EQ(format_duration(seconds), text) << seconds;
    }
    EXPECT_EQ(format_duration(std::numeric_limits<std::int64_t>::min()).front(), '-');
}

TEST(TimeText, FormatDurationRoundTripsThroughParseDuration) {
    for (std::int64_t seconds = 1; seconds <= 2 * 86400; ++seconds) {
        ASSERT_EQ(parse_duration(format_duration(seconds)), seconds) << seconds;
    }
    for (std::int64_t seconds = 1; seconds <= 3155760000; seconds = seconds * 3 + 7) {
        ASSERT_EQ(parse_duration(format_duration(seconds)), seconds) << seconds;
    }
    EXPECT_EQ(parse_duration(format_duration(3155760000)), 3155760000);
}

TEST(TimeText, FormatterDefaultsToUtc) {
    for (const char* zone : {"", "UTC", "Etc/UTC", "Z"}) {
        EXPECT_EQ(TimeFormatter(zone).format(k20261124T080000Z), "2026-11-24T08:00:00Z") << zone;
    }
    EXPECT_EQ(TimeFormatter().format(-1), "1969-12-31T23:59:59Z");
}

TEST(TimeText, FormatterShowsBerlinInWinterAndSummer) {
    const TimeFormatter berlin("Europe/Berlin");
    EXPECT_EQ(berlin.format(k20261124T080000Z), "2026-11-24T09:00:00+01:00");
    EXPECT_EQ(berlin.format(1782907200), "2026-07-01T14:00:00+02:00");
}

TEST(TimeText, FormatterFollowsDaylightSavingTransitions) {
    const TimeFormatter berlin("Europe/Berlin");
    // Spring forward on 2026-03-29 at 01:00 UTC.
    EXPECT_EQ(berlin.format(1774745999), "2026-03-29T01:59:59+01:00");
    EXPECT_EQ(berlin.format(1774746000), "2026-03-29T03:00:00+02:00");
    // Fall back on 2026-10-25 at 01:00 UTC: the local hour 02:xx happens twice.
    EXPECT_EQ(berlin.format(1792889999), "2026-10-25T02:59:59+02:00");
    EXPECT_EQ(berlin.format(1792890000), "2026-10-25T02:00:00+01:00");
}

TEST(TimeText, SpreadsheetStyleIsTheWallClockWithoutZone) {
    EXPECT_EQ(TimeFormatter("", TimeStyle::spreadsheet).format(k20261124T080000Z),
              "2026-11-24 08:00:00");
    const TimeFormatter berlin("Europe/Berlin", TimeStyle::spreadsheet);
    EXPECT_EQ(berlin.format(k20261124T080000Z), "2026-11-24 09:00:00");
    EXPECT_EQ(berlin.format(1782907200), "2026-07-01 14:00:00");
    // When the clocks go back the same wall-clock time comes twice: the reason import
    // refuses a time without a zone.
    EXPECT_EQ(berlin.format(1792886400), "2026-10-25 02:00:00");
    EXPECT_EQ(berlin.format(1792890000), "2026-10-25 02:00:00");
    EXPECT_EQ(TimeFormatter("", TimeStyle::spreadsheet).format(-1), "1969-12-31 23:59:59");
}

TEST(TimeText, EpochStyleIsUnixSecondsInAnyZone) {
    for (const char* zone : {"", "Europe/Berlin", "Asia/Kolkata"}) {
        EXPECT_EQ(TimeFormatter(zone, TimeStyle::epoch).format(k20261124T080000Z), "1795507200")
            << zone;
    }
    EXPECT_EQ(TimeFormatter("", TimeStyle::epoch).format(-1), "-1");
}

TEST(TimeText, TimeStylesByName) {
    EXPECT_EQ(parse_time_style("iso"), TimeStyle::iso);
    EXPECT_EQ(parse_time_style("spreadsheet"), TimeStyle::spreadsheet);
    EXPECT_EQ(parse_time_style("epoch"), TimeStyle::epoch);
    EXPECT_EQ(TimeFormatter("Europe/Berlin", parse_time_style("iso")).format(k20261124T080000Z),
              "2026-11-24T09:00:00+01:00");
    EXPECT_THROW(parse_time_style("ISO"), InputError);
    EXPECT_THROW(parse_time_style("excel"), InputError);
}

TEST(TimeText, FormatterShowsNegativeAndHalfHourOffsets) {
    EXPECT_EQ(TimeFormatter("America/New_York").format(k20261124T080000Z),
              "2026-11-24T03:00:00-05:00");
    EXPECT_EQ(TimeFormatter("America/New_York").format(1782907200), "2026-07-01T08:00:00-04:00");
    EXPECT_EQ(TimeFormatter("Asia/Kolkata").format(k20261124T080000Z), "2026-11-24T13:30:00+05:30");
    EXPECT_EQ(TimeFormatter("America/New_York").format(0), "1969-12-31T19:00:00-05:00");
}

TEST(TimeText, FormatterOutputParsesBackToTheSameInstant) {
    for (const char* zone : {"", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
                             "Australia/Lord_Howe", "Pacific/Kiritimati"}) {
        const TimeFormatter formatter(zone);
        for (std::int64_t t = 946684800; t < 1893456000; t += 86400 * 3 + 1799) {
            const std::string text = formatter.format(t);
            ASSERT_EQ(parse_timestamp(text), t) << zone << " " << text;
        }
    }
}

TEST(TimeText, FormatterRefusesUnknownZone) {
    EXPECT_EQ(input_error_message([] { TimeFormatter formatter("Mars/Base"); }),
              "unknown time zone 'Mars/Base': use an IANA name such as Europe/Berlin");
    EXPECT_EQ(input_error_message([] { TimeFormatter formatter("../../etc/passwd"); }),
              "unknown time zone '../../etc/passwd': use an IANA name such as Europe/Berlin");
    EXPECT_EQ(input_error_message([] { TimeFormatter formatter("europe/berlin\n"); }),
              "unknown time zone 'europe/berlin\\n': use an IANA name such as Europe/Berlin");
}

TEST(TimeText, UnixNowIsTheCurrentWholeSecond) {
    using std::chrono::floor;
    using std::chrono::seconds;
    using std::chrono::system_clock;
    const std::int64_t before = floor<seconds>(system_clock::now()).time_since_epoch().count();
    const std::int64_t now = unix_now();
    const std::int64_t after = floor<seconds>(system_clock::now()).time_since_epoch().count();
    EXPECT_LE(before, now);
    EXPECT_LE(now, after);
    EXPECT_GT(now, 1767225600);  // after 2026-01-01
}

TEST(TimeText, ALeapSecondHasAMessageOfItsOwn) {
    for (const char* text :
         {"2026-11-24T23:59:60Z", "2026-11-24T23:59:60+01:00", "2016-12-31 23:59:60.5Z"}) {
        for (const auto& parse : {+[](const char* t) { parse_timestamp(t); },
                                  +[](const char* t) { parse_time_option(t, 0); }}) {
            try {
                parse(text);
                ADD_FAILURE() << text << " was taken";
            } catch (const InputError& e) {
                EXPECT_NE(std::string(e.what()).find("is a leap second"), std::string::npos)
                    << e.what();
            }
        }
    }
}

}  // namespace
}  // namespace fostat
