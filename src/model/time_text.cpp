#include "fostat/time_text.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "fostat/calendar.h"
#include "fostat/error.h"

namespace fostat {
namespace {

// Longer than any retention or window anyone means; keeps every sum far from overflow.
constexpr std::int64_t kMaxDurationSeconds = 36525 * kSecondsPerDay;  // 100 Julian years
// Quoted input is cut here so binary garbage cannot make a huge message.

struct DurationUnit {
    char name;
    std::int64_t seconds;
};
// Largest first: the order format_duration writes and parse_duration requires.
constexpr DurationUnit kDurationUnits[] = {
    {'w', 7 * kSecondsPerDay}, {'d', kSecondsPerDay}, {'h', 3600}, {'m', 60}, {'s', 1}};

constexpr std::string_view kDurationExamples = "30s, 5m, 1h, 1d, 1w or 1h30m";

[[noreturn]] void throw_not_a_time(std::string_view text) {
    throw InputError(excerpt(text) +
                     " is not a time: expected ISO 8601 such as 2026-11-24T08:00:00Z");
}

[[noreturn]] void throw_no_zone(std::string_view text) {
    throw InputError(excerpt(text) + " has no zone: add Z (UTC) or an offset like +01:00");
}

[[noreturn]] void throw_leap_second(std::string_view text) {
    throw InputError(excerpt(text) +
                     " is a leap second, which Unix time (and so fostat) does not count: use "
                     ":59 of the same minute");
}

[[noreturn]] void throw_not_a_time_option(std::string_view text) {
    throw InputError(excerpt(text) +
                     " is not a time: expected 2026-11-24T08:00:00Z, 2026-11-24T09:00:00+01:00,"
                     " a date 2026-11-24 (midnight UTC), now, or relative to now like -7d, "
                     "-12h, +1h");
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The value of the two digits at text[i], text[i + 1]; -1 if either is not a digit.
int two_digits(std::string_view text, std::size_t i) {
    const unsigned hi = static_cast<unsigned char>(text[i]) - unsigned{'0'};
    const unsigned lo = static_cast<unsigned char>(text[i + 1]) - unsigned{'0'};
    if (hi > 9 || lo > 9) {
        return -1;
    }
    return static_cast<int>(hi * 10 + lo);
}

char* write_two(char* p, unsigned value) {
    *p++ = static_cast<char>('0' + value / 10);
    *p++ = static_cast<char>('0' + value % 10);
    return p;
}

// "YYYY", at least four digits, with a '-' before the years before year 0.
char* write_year(char* p, std::int64_t year) {
    if (year < 0) {
        *p++ = '-';
    }
    // Unsigned, so that even the most negative year has a magnitude.
    std::uint64_t magnitude = static_cast<std::uint64_t>(year);
    if (year < 0) {
        magnitude = 0 - magnitude;
    }
    if (magnitude <= 9999) {
        const auto y = static_cast<unsigned>(magnitude);
        p = write_two(p, y / 100);
        return write_two(p, y % 100);
    }
    // 20 bytes hold any uint64; callers reserve that much.
    return std::to_chars(p, p + 20, magnitude).ptr;
}

// Writes "YYYY-MM-DDTHH:MM:SS" for seconds counted from 1970-01-01T00:00:00 on the same
// clock face. REQUIRES: room for 48 chars.
char* write_date_time(char* p, std::int64_t seconds) {
    const CivilTime t = civil_time(seconds);
    p = write_year(p, t.date.year);
    *p++ = '-';
    p = write_two(p, t.date.month);
    *p++ = '-';
    p = write_two(p, t.date.day);
    *p++ = 'T';
    p = write_two(p, t.hour);
    *p++ = ':';
    p = write_two(p, t.minute);
    *p++ = ':';
    return write_two(p, t.second);
}

// "+HH:MM", or "+HH:MM:SS" for the odd historical offset that is not whole minutes.
char* write_offset(char* p, std::int64_t offset) {
    *p++ = offset < 0 ? '-' : '+';
    const auto magnitude = static_cast<unsigned>(offset < 0 ? -offset : offset);
    p = write_two(p, magnitude / 3600 % 100);
    *p++ = ':';
    p = write_two(p, magnitude / 60 % 60);
    if (magnitude % 60 != 0) {
        *p++ = ':';
        p = write_two(p, magnitude % 60);
    }
    return p;
}

enum class TimestampProblem { kNone, kNotATime, kNoZone, kLeapSecond };

struct TimestampResult {
    std::int64_t seconds = 0;
    TimestampProblem problem = TimestampProblem::kNone;
};

// The zone suffix at text[pos..]: "Z", "z", "+HH:MM", "+HHMM", "+HH" or their '-' twins.
// Returns false when it is none of those.
bool parse_zone(std::string_view text, std::size_t pos, std::int64_t& offset) {
    const std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
        offset = 0;
        return true;
    }
    if (zone.size() < 3 || (zone[0] != '+' && zone[0] != '-')) {
        return false;
    }
    const int hours = two_digits(zone, 1);
    int minutes = 0;
    if (zone.size() == 6 && zone[3] == ':') {
        minutes = two_digits(zone, 4);
    } else if (zone.size() == 5) {
        minutes = two_digits(zone, 3);
    } else if (zone.size() != 3) {
        return false;
    }
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
        return false;
    }
    offset = (zone[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    return true;
}

// Every form parse_timestamp takes, without throwing, so callers can word their own error.
TimestampResult read_timestamp(std::string_view text) {
    if (const auto canonical = parse_canonical_timestamp(text)) {
        return {*canonical, TimestampProblem::kNone};
    }
    constexpr TimestampResult kNotATime{0, TimestampProblem::kNotATime};
    // The layout is checked here; date::parse then judges the calendar and clock values.
    // Checking the layout first keeps date::parse's leniency (one-digit fields, any
    // whitespace for ' ') out of what we accept.
    // "YYYY-MM-DD?HH:MM" is the shortest date-time.
    if (text.size() < 16) {
        return kNotATime;
    }
    for (const std::size_t i : {0, 2, 5, 8, 11, 14}) {
        if (two_digits(text, i) < 0) {
            return kNotATime;
        }
    }
    const char separator = text[10];
    if (text[4] != '-' || text[7] != '-' || text[13] != ':' ||
        (separator != 'T' && separator != 't' && separator != ' ')) {
        return kNotATime;
    }
    std::string head(text.substr(0, 16));
    head[10] = 'T';
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        if (text.size() < 19 || two_digits(text, 17) < 0) {
            return kNotATime;
        }
        if (two_digits(text, 17) == 60)
            return {0, TimestampProblem::kLeapSecond};
        head.append(text.substr(16, 3));
        pos = 19;
        // Fractional seconds are dropped: the local clock reading only loses a non-negative
        // fraction, so the instant moves to the earlier whole second, before 1970 too.
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            const std::size_t digits_start = pos;
            while (pos < text.size() && is_digit(text[pos])) {
                ++pos;
            }
            if (pos == digits_start) {
                return kNotATime;
            }
        }
    } else {
        head += ":00";
    }

    std::istringstream in(head);
    date::local_seconds local{};
    in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
    if (in.fail()) {
        return kNotATime;
    }
    if (in.peek() != std::istringstream::traits_type::eof()) {
        return kNotATime;
    }
    if (pos == text.size()) {
        return {0, TimestampProblem::kNoZone};
    }
    std::int64_t offset = 0;
    if (!parse_zone(text, pos, offset)) {
        return kNotATime;
    }
    return {local.time_since_epoch().count() - offset, TimestampProblem::kNone};
}

struct DurationResult {
    std::int64_t seconds = 0;
    std::string problem;  // empty when seconds is valid
};

// parse_duration without throwing: the problem reads well after "... is not a duration: ".
DurationResult read_duration(std::string_view text) {
    if (text.empty()) {
        return {0, "expected a number and a unit such as " + std::string(kDurationExamples)};
    }
    if (text[0] == '-') {
        return {0, "it must be greater than zero"};
    }
    std::int64_t total = 0;
    std::size_t next_unit = 0;  // index into kDurationUnits of the largest unit still allowed
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!is_digit(text[pos])) {
            return {0, "expected a number and a unit such as " + std::string(kDurationExamples)};
        }
        std::int64_t number = 0;
        while (pos < text.size() && is_digit(text[pos])) {
            number = number * 10 + (text[pos] - '0');
            if (number > kMaxDurationSeconds) {
                return {0, "longer than 100 years"};
            }
            ++pos;
        }
        if (pos == text.size()) {
            return {0, "add a unit: s, m, h, d or w"};
        }
        const char name = text[pos++];
        std::size_t unit = 0;
        while (unit < std::size(kDurationUnits) && kDurationUnits[unit].name != name) {
            ++unit;
        }
        if (unit == std::size(kDurationUnits)) {
            const auto c = static_cast<unsigned char>(name);
            const bool printable = c >= 0x20 && c < 0x7f;
            return {0, (printable ? "unknown unit '" + std::string(1, name) + "'"
                                  : std::string("unknown unit")) +
                           ": use s, m, h, d or w"};
        }
        if (unit < next_unit) {
            return {0, "units go from largest to smallest, each once, as in 1d12h or 1h30m"};
        }
        next_unit = unit + 1;
        // number <= kMaxDurationSeconds, so the product fits easily in 64 bits.
        total += number * kDurationUnits[unit].seconds;
        if (total > kMaxDurationSeconds) {
            return {0, "longer than 100 years"};
        }
    }
    if (total == 0) {
        return {0, "it must be greater than zero"};
    }
    return {total, {}};
}

// a + b and a - b, or nothing when the result does not fit (what GCC's and Clang's
// __builtin_add_overflow tell, in C++ that MSVC compiles too).
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
    using Limits = std::numeric_limits<std::int64_t>;
    if (b > 0 ? a > Limits::max() - b : a < Limits::min() - b) {
        return std::nullopt;
    }
    return a + b;
}

std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) {
    using Limits = std::numeric_limits<std::int64_t>;
    if (b > 0 ? a < Limits::min() + b : a > Limits::max() + b) {
        return std::nullopt;
    }
    return a - b;
}

}  // namespace

std::optional<std::int64_t> parse_canonical_timestamp(std::string_view text) {
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != 'Z') {
        return std::nullopt;
    }
    const int century = two_digits(text, 0);
    const int year_of_century = two_digits(text, 2);
    const int month = two_digits(text, 5);
    const int day = two_digits(text, 8);
    const int hour = two_digits(text, 11);
    const int minute = two_digits(text, 14);
    const int second = two_digits(text, 17);
    if (century < 0 || year_of_century < 0 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 59 || month < 1 || month > 12) {
        return std::nullopt;
    }
    const std::int64_t year = century * 100 + year_of_century;
    if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
        return std::nullopt;
    }
    const std::int64_t days =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
}

namespace {

enum class TimeText { kTimestamp, kOption };

// The seconds of a timestamp read by read_timestamp, or the error that names its problem
// and what the text should have been, as a timestamp or as a time option.
std::int64_t timestamp_or_throw(std::string_view text, TimeText kind) {
    const TimestampResult result = read_timestamp(text);
    switch (result.problem) {
        case TimestampProblem::kNone:
            return result.seconds;
        case TimestampProblem::kNoZone:
            throw_no_zone(text);
        case TimestampProblem::kLeapSecond:
            throw_leap_second(text);
        case TimestampProblem::kNotATime:
            break;
    }
    if (kind == TimeText::kOption)
        throw_not_a_time_option(text);
    throw_not_a_time(text);
}

}  // namespace

std::int64_t parse_timestamp(std::string_view text) {
    return timestamp_or_throw(text, TimeText::kTimestamp);
}

std::int64_t parse_time_option(std::string_view text, std::int64_t now) {
    if (text == "now") {
        return now;
    }
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        const DurationResult duration = read_duration(text.substr(1));
        if (!duration.problem.empty()) {
            throw InputError(excerpt(text) + " is not a relative time: " + duration.problem +
                             " (e.g. -7d, -12h, +1h)");
        }
        const std::optional<std::int64_t> result = text[0] == '-'
                                                       ? checked_sub(now, duration.seconds)
                                                       : checked_add(now, duration.seconds);
        if (!result) {
            throw InputError(excerpt(text) + " is too far from now");
        }
        return *result;
    }
    if (text.size() == 10) {  // a bare date "YYYY-MM-DD"
        if (two_digits(text, 0) < 0 || two_digits(text, 2) < 0 || text[4] != '-' ||
            two_digits(text, 5) < 0 || text[7] != '-' || two_digits(text, 8) < 0) {
            throw_not_a_time_option(text);
        }
        std::istringstream in{std::string(text)};
        date::sys_days day{};
        in >> date::parse("%Y-%m-%d", day);
        if (in.fail() || in.peek() != std::istringstream::traits_type::eof()) {
            throw_not_a_time_option(text);
        }
        return day.time_since_epoch().count() * kSecondsPerDay;
    }
    return timestamp_or_throw(text, TimeText::kOption);
}

std::int64_t parse_duration(std::string_view text) {
    DurationResult result = read_duration(text);
    if (!result.problem.empty()) {
        throw InputError(excerpt(text) + " is not a duration: " + result.problem);
    }
    return result.seconds;
}

std::string format_duration(std::int64_t seconds) {
    if (seconds == 0) {
        return "0s";
    }
    std::string out;
    // Unsigned, so that the most negative value has a magnitude too.
    std::uint64_t rest = static_cast<std::uint64_t>(seconds);
    if (seconds < 0) {
        out += '-';
        rest = 0 - rest;
    }
    for (const DurationUnit& unit : kDurationUnits) {
        const auto size = static_cast<std::uint64_t>(unit.seconds);
        if (rest >= size) {
            out += std::to_string(rest / size);
            out += unit.name;
            rest %= size;
        }
    }
    return out;
}

std::string format_utc(std::int64_t unix_seconds) {
    char buffer[64];
    char* end = write_date_time(buffer, unix_seconds);
    *end++ = 'Z';
    return std::string(buffer, end);
}

TimeStyle parse_time_style(std::string_view text) {
    if (text == "iso")
        return TimeStyle::iso;
    if (text == "spreadsheet")
        return TimeStyle::spreadsheet;
    if (text == "epoch")
        return TimeStyle::epoch;
    throw InputError(excerpt(text) + " is not one of iso, spreadsheet, epoch");
}

TimeFormatter::TimeFormatter(std::string_view zone, TimeStyle style) : style_(style) {
    if (zone.empty() || zone == "UTC" || zone == "Etc/UTC" || zone == "Z") {
        return;
    }
    try {
        date::get_tzdb();
    } catch (const std::exception& e) {
        throw Error(std::string("cannot read the time zone database: ") + e.what());
    }
    try {
        zone_ = date::locate_zone(zone);
    } catch (const std::runtime_error&) {
        throw InputError("unknown time zone " + excerpt(zone) +
                         ": use an IANA name such as Europe/Berlin");
    }
}

std::string TimeFormatter::format(std::int64_t unix_seconds) const {
    if (style_ == TimeStyle::epoch) {
        return std::to_string(unix_seconds);
    }
    if (zone_ == nullptr) {
        if (style_ == TimeStyle::iso) {
            return format_utc(unix_seconds);
        }
        char buffer[64];
        char* end = write_date_time(buffer, unix_seconds);
        *std::find(buffer, end, 'T') = ' ';
        return std::string(buffer, end);
    }
    const date::sys_info info =
        zone_->get_info(date::sys_seconds{std::chrono::seconds{unix_seconds}});
    const std::int64_t offset = info.offset.count();
    const std::optional<std::int64_t> local = checked_add(unix_seconds, offset);
    if (!local) {
        return format_utc(unix_seconds);  // only at the very ends of int64, where no zone matters
    }
    char buffer[64];
    char* end = write_date_time(buffer, *local);
    if (style_ == TimeStyle::spreadsheet) {
        *std::find(buffer, end, 'T') = ' ';  // the wall clock alone: spreadsheets know no zones
    } else {
        end = write_offset(end, offset);
    }
    return std::string(buffer, end);
}

std::int64_t unix_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return now.time_since_epoch().count();
}

}  // namespace fostat
