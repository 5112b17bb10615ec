#include "fostat/calendar.h"

#include <chrono>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace fostat {
namespace {

// Expected Unix times below were computed independently with GNU date, e.g.
// `date -u -d 2000-02-29 +%s`; wider ranges are checked against std::chrono's calendar, a
// separate implementation.

// The calendar is constexpr: a few facts checked by the compiler.
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(civil_from_days(0) == CivilDate{1970, 1, 1});
static_assert(civil_time(-1) == CivilTime{{1969, 12, 31}, 23, 59, 59});
static_assert(month_start(2000, 3) == 951868800);

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(Calendar, FloorDivRoundsTowardsMinusInfinity) {
    EXPECT_EQ(floor_div(7, 2), 3);
    EXPECT_EQ(floor_div(6, 2), 3);
    EXPECT_EQ(floor_div(0, 86400), 0);
    EXPECT_EQ(floor_div(-1, 86400), -1);
    EXPECT_EQ(floor_div(-86400, 86400), -1);
    EXPECT_EQ(floor_div(-86401, 86400), -2);
    EXPECT_EQ(floor_div(kMin, 1), kMin);
    EXPECT_EQ(floor_div(kMax, 1), kMax);
    EXPECT_EQ(floor_div(kMin, 2), kMin / 2);
    EXPECT_EQ(floor_div(kMin + 1, 2), kMin / 2);
}

TEST(Calendar, LeapYears) {
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_TRUE(is_leap_year(2000));
    EXPECT_TRUE(is_leap_year(1600));
    EXPECT_TRUE(is_leap_year(0));
    EXPECT_TRUE(is_leap_year(-4));
    EXPECT_TRUE(is_leap_year(-400));
    EXPECT_FALSE(is_leap_year(2026));
    EXPECT_FALSE(is_leap_year(1900));
    EXPECT_FALSE(is_leap_year(2100));
    EXPECT_FALSE(is_leap_year(-1));
    EXPECT_FALSE(is_leap_year(-100));
    EXPECT_EQ(days_in_month(2024, 2), 29u);
    EXPECT_EQ(days_in_month(2026, 2), 28u);
    EXPECT_EQ(days_in_month(1900, 2), 28u);
    EXPECT_EQ(days_in_month(2000, 2), 29u);
    EXPECT_EQ(days_in_month(0, 2), 29u);
    EXPECT_EQ(days_in_month(2026, 4), 30u);
    EXPECT_EQ(days_in_month(2026, 12), 31u);
}

TEST(Calendar, ValidDates) {
    EXPECT_TRUE(is_valid_date({2024, 2, 29}));
    EXPECT_TRUE(is_valid_date({0, 2, 29}));
    EXPECT_TRUE(is_valid_date({2026, 12, 31}));
    EXPECT_FALSE(is_valid_date({2026, 2, 29}));
    EXPECT_FALSE(is_valid_date({2100, 2, 29}));
    EXPECT_FALSE(is_valid_date({2026, 2, 30}));
    EXPECT_FALSE(is_valid_date({2026, 4, 31}));
    EXPECT_FALSE(is_valid_date({2026, 0, 1}));
    EXPECT_FALSE(is_valid_date({2026, 13, 1}));
    EXPECT_FALSE(is_valid_date({2026, 1, 0}));
}

TEST(Calendar, KnownDates) {
    struct Case {
        CivilDate date;
        std::int64_t seconds;
    };
    const Case cases[] = {
        {{1970, 1, 1}, 0},
        {{2000, 2, 29}, 951782400},
        {{1900, 3, 1}, -2203891200},
        {{2100, 2, 28}, 4107456000},
        {{2100, 3, 1}, 4107542400},
        {{1600, 2, 29}, -11670998400},
        {{0, 1, 1}, -62167219200},  // year 0 (1 BC), a leap year
        {{0, 3, 1}, -62167219200 + 60 * kSecondsPerDay},
        {{-1, 12, 31}, -62167219200 - kSecondsPerDay},
        {{10000, 1, 1}, 253402300800},
    };
    for (const Case& c : cases) {
        const std::int64_t days = c.seconds / kSecondsPerDay;
        EXPECT_EQ(days_from_civil(c.date.year, c.date.month, c.date.day), days) << c.seconds;
        EXPECT_EQ(civil_from_days(days), c.date) << c.seconds;
        EXPECT_EQ(month_start(c.date.year, c.date.month), c.seconds - (c.date.day - 1) * 86400);
    }
}

TEST(Calendar, CivilTimeOfNegativeTimesIsOnTheirOwnDay) {
    EXPECT_EQ(civil_time(0), (CivilTime{{1970, 1, 1}, 0, 0, 0}));
    EXPECT_EQ(civil_time(-1), (CivilTime{{1969, 12, 31}, 23, 59, 59}));
    EXPECT_EQ(civil_time(-86400), (CivilTime{{1969, 12, 31}, 0, 0, 0}));
    EXPECT_EQ(civil_time(-86401), (CivilTime{{1969, 12, 30}, 23, 59, 59}));
    EXPECT_EQ(civil_time(1709210096), (CivilTime{{2024, 2, 29}, 12, 34, 56}));
    EXPECT_EQ(civil_time(-62167219201), (CivilTime{{-1, 12, 31}, 23, 59, 59}));
}

TEST(Calendar, CivilTimeAtTheEndsOfInt64) {
    // What format_utc writes for them (time_text_test): no overflow on the way.
    const CivilTime low = civil_time(kMin);
    EXPECT_EQ(low, (CivilTime{{-292277022657, 1, 27}, 8, 29, 52}));
    const CivilTime high = civil_time(kMax);
    EXPECT_EQ(high, (CivilTime{{292277026596, 12, 4}, 15, 30, 7}));
    EXPECT_EQ(seconds_from_civil(high), kMax);
    // (low's midnight is before int64's range: seconds_from_civil requires it is not.)
}

TEST(Calendar, SecondsFromCivilInvertsCivilTime) {
    for (std::int64_t t = -3 * kSecondsPerDay - 7; t < 3 * kSecondsPerDay; t += 997) {
        EXPECT_EQ(seconds_from_civil(civil_time(t)), t);
    }
    for (std::int64_t t = -62167219200 - 86400 * 400; t < 253402300800; t += 86400 * 37 + 3601) {
        ASSERT_EQ(seconds_from_civil(civil_time(t)), t) << t;
    }
}

// Every day from 1200 BC to AD 3200 against std::chrono, both ways.
TEST(Calendar, RoundTripsEveryDayAgainstChrono) {
    using namespace std::chrono;
    const std::int64_t first = days_from_civil(-1200, 1, 1);
    const std::int64_t last = days_from_civil(3200, 12, 31);
    EXPECT_EQ(first, sys_days{year{-1200} / January / 1}.time_since_epoch().count());
    EXPECT_EQ(last, sys_days{year{3200} / December / 31}.time_since_epoch().count());
    CivilDate previous = civil_from_days(first - 1);
    for (std::int64_t d = first; d <= last; ++d) {
        const CivilDate date = civil_from_days(d);
        const year_month_day ymd{sys_days{days{d}}};
        ASSERT_EQ(date.year, static_cast<int>(ymd.year())) << d;
        ASSERT_EQ(date.month, static_cast<unsigned>(ymd.month())) << d;
        ASSERT_EQ(date.day, static_cast<unsigned>(ymd.day())) << d;
        ASSERT_TRUE(is_valid_date(date)) << d;
        ASSERT_EQ(days_from_civil(date.year, date.month, date.day), d);
        // The next day of the previous one.
        const bool month_end = previous.day == days_in_month(previous.year, previous.month);
        const CivilDate expected =
            !month_end            ? CivilDate{previous.year, previous.month, previous.day + 1}
            : previous.month < 12 ? CivilDate{previous.year, previous.month + 1, 1}
                                  : CivilDate{previous.year + 1, 1, 1};
        ASSERT_EQ(date, expected) << d;
        previous = date;
    }
}

// chrono's years end at 32767; beyond, the Gregorian calendar repeats every 400 years, of
// 146097 days.
TEST(Calendar, FarYearsRepeatEveryFourHundredYears) {
    using namespace std::chrono;
    EXPECT_EQ(days_from_civil(32767, 12, 31),
              sys_days{year{32767} / December / 31}.time_since_epoch().count());
    EXPECT_EQ(days_from_civil(-32767, 1, 1),
              sys_days{year{-32767} / January / 1}.time_since_epoch().count());
    for (const std::int64_t cycles : {1LL, -1LL, 1000LL, -1000LL, 1000000000LL, -1000000000LL}) {
        for (const CivilDate date :
             {CivilDate{2024, 2, 29}, CivilDate{2000, 3, 1}, CivilDate{1970, 1, 1},
              CivilDate{0, 12, 31}, CivilDate{-1, 2, 28}}) {
            const CivilDate far{date.year + 400 * cycles, date.month, date.day};
            const std::int64_t days = days_from_civil(far.year, far.month, far.day);
            EXPECT_EQ(days, days_from_civil(date.year, date.month, date.day) + 146097 * cycles)
                << far.year;
            EXPECT_EQ(civil_from_days(days), far) << far.year;
        }
    }
}

TEST(Calendar, MonthStarts) {
    EXPECT_EQ(month_start(1970, 1), 0);
    EXPECT_EQ(month_start(1970, 2), 31 * kSecondsPerDay);
    EXPECT_EQ(month_start(1969, 12), -31 * kSecondsPerDay);
    EXPECT_EQ(month_start(2024, 3) - month_start(2024, 2), 29 * kSecondsPerDay);
    EXPECT_EQ(month_start(2026, 3) - month_start(2026, 2), 28 * kSecondsPerDay);
    EXPECT_EQ(month_start(2027, 1) - month_start(2026, 12), 31 * kSecondsPerDay);
}

TEST(Calendar, DaysSinceMonday) {
    EXPECT_EQ(days_since_monday(0), 3);   // 1970-01-01, a Thursday
    EXPECT_EQ(days_since_monday(4), 0);   // 1970-01-05, a Monday
    EXPECT_EQ(days_since_monday(3), 6);   // a Sunday
    EXPECT_EQ(days_since_monday(-3), 0);  // 1969-12-29, a Monday
    EXPECT_EQ(days_since_monday(-1), 2);  // 1969-12-31, a Wednesday
    using namespace std::chrono;
    for (std::int64_t d = -800; d <= 800; ++d) {
        const weekday w{sys_days{days{d}}};
        EXPECT_EQ(days_since_monday(d), (w.iso_encoding() + 6) % 7) << d;
    }
}

}  // namespace
}  // namespace fostat
