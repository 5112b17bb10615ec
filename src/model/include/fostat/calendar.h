// The proleptic Gregorian calendar on Unix time's days, the one implementation of civil-date
// arithmetic in fostat. Times here are seconds counted from 1970-01-01T00:00:00 on some clock
// face: UTC for Unix time, or a zone's wall clock ("local seconds") once a caller has added the
// zone's offset. Time zones themselves are the date/tz library's (TimeFormatter, trend's
// LocalCalendar, the ISC log's LogClock); this file knows no zone.
//
// Everything is constexpr in the header: the CSV writers format every timestamp through
// civil_time (TimeFormatter::format), so it must inline into the formatter; and constexpr lets
// the tests check it at compile time too.
#pragma once

#include <cstdint>

namespace fostat {

inline constexpr std::int64_t kSecondsPerDay = 86400;

// a / b rounded towards minus infinity, so that times before 1970 land on the day (hour,
// week) they belong to. REQUIRES: b > 0.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - (a % b < 0 ? 1 : 0);
}

// Days since Monday of day `days` since 1970-01-01 (a Thursday): 0 for a Monday, 6 for a
// Sunday.
constexpr std::int64_t days_since_monday(std::int64_t days) {
    const std::int64_t r = (days + 3) % 7;
    return r < 0 ? r + 7 : r;
}

constexpr bool is_leap_year(std::int64_t year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// REQUIRES: 1 <= month <= 12.
constexpr unsigned days_in_month(std::int64_t year, unsigned month) {
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// A date; year 0 is 1 BC, year -1 is 2 BC (astronomical numbering, as ISO 8601).
struct CivilDate {
    std::int64_t year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31

    friend constexpr bool operator==(const CivilDate&, const CivilDate&) = default;
};

// Whether the date exists: "Feb 29" only in leap years, no "Apr 31".
constexpr bool is_valid_date(const CivilDate& date) {
    return date.month >= 1 && date.month <= 12 && date.day >= 1 &&
           date.day <= days_in_month(date.year, date.month);
}

// Days since 1970-01-01 of a date (H. Hinnant's days_from_civil). REQUIRES:
// is_valid_date({year, month, day}) (callers that read dates check it first), and |year| below
// 2^50 or so, far beyond any time fostat shows.
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);             // [0, 399]
    const unsigned month_from_march = month > 2 ? month - 3 : month + 9;  // [0, 11]
    const unsigned doy = (153 * month_from_march + 2) / 5 + day - 1;      // [0, 365]
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The date of day `days` since 1970-01-01, the inverse of days_from_civil (Hinnant's
// civil_from_days); any int64 day of a time in seconds is in range.
constexpr CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);                 // [0, 146096]
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// A date and a time of day on the same clock face.
struct CivilTime {
    CivilDate date;
    unsigned hour = 0;    // 0..23
    unsigned minute = 0;  // 0..59
    unsigned second = 0;  // 0..59: Unix time counts no leap seconds

    friend constexpr bool operator==(const CivilTime&, const CivilTime&) = default;
};

// The date and time of `seconds` since 1970-01-01T00:00:00, for every int64 (times before
// 1970 are on the day they belong to, 1969-12-31T23:59:59 for -1).
constexpr CivilTime civil_time(std::int64_t seconds) {
    // The remainder rather than seconds - days * kSecondsPerDay, which would overflow at the
    // most negative int64.
    std::int64_t days = seconds / kSecondsPerDay;
    std::int64_t of_day = seconds % kSecondsPerDay;
    if (of_day < 0) {
        of_day += kSecondsPerDay;
        --days;
    }
    const auto sod = static_cast<unsigned>(of_day);
    return {civil_from_days(days), sod / 3600, sod / 60 % 60, sod % 60};
}

// Seconds since 1970-01-01T00:00:00 of a date and time, the inverse of civil_time.
// REQUIRES: is_valid_date(t.date), hour < 24, minute < 60, second < 60, and the seconds of
// the day's midnight in int64 (so not the first day of int64's range).
constexpr std::int64_t seconds_from_civil(const CivilTime& t) {
    return days_from_civil(t.date.year, t.date.month, t.date.day) * kSecondsPerDay + t.hour * 3600 +
           t.minute * 60 + t.second;
}

// Seconds of the first of `month` in `year` at 00:00:00. REQUIRES: 1 <= month <= 12.
constexpr std::int64_t month_start(std::int64_t year, unsigned month) {
    return days_from_civil(year, month, 1) * kSecondsPerDay;
}

}  // namespace fostat
