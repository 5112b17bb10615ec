#include "cli/option_values.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "analyses/levels.h"
#include "fostat/time_text.h"

namespace fostat {
namespace {

// Parses `args` (without the program's name) into an App holding one duration option.
void parse(CLI::App& app, std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
}

TEST(DurationOption, ReadsTheValueAndKeepsItsText) {
    CLI::App app;
    DurationValue every;
    add_duration_option(app, "--every", every, "help");
    parse(app, {"--every", "1h30m"});
    EXPECT_EQ(every.seconds, 5400);
    EXPECT_EQ(every.text, "1h30m");
}

TEST(DurationOption, TheDefaultIsReadAtOnceAndShownByHelp) {
    CLI::App app;
    DurationValue horizon{"365d"};
    add_duration_option(app, "--horizon", horizon, "forecast this far ahead");
    EXPECT_EQ(horizon.seconds, 365 * 86'400);
    EXPECT_NE(app.help().find("--horizon DURATION=365d"), std::string::npos) << app.help();
    parse(app, {});
    EXPECT_EQ(horizon.seconds, 365 * 86'400);
}

TEST(DurationOption, ABadValueIsRefusedNamingTheOption) {
    CLI::App app;
    DurationValue interval{"5m"};
    add_duration_option(app, "--interval", interval, "help");
    try {
        parse(app, {"--interval", "5"});
        FAIL() << "5 without a unit was read";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "--interval: '5' is not a duration: add a unit: s, m, h, d or w");
    }
    EXPECT_EQ(interval.text, "5m");  // the default stays
}

TEST(DurationOption, ZeroAndOffOnlyWhereAllowed) {
    struct Case {
        NoDuration none;
        std::string text;
        std::optional<std::int64_t> seconds;  // nullopt: refused
    };
    const Case cases[] = {
        {NoDuration::refused, "0", std::nullopt},
        {NoDuration::refused, "off", std::nullopt},
        {NoDuration::zero, "0", 0},
        {NoDuration::zero, "off", std::nullopt},
        {NoDuration::off, "off", 0},
        {NoDuration::off, "0", std::nullopt},
        {NoDuration::zero, "30s", 30},
        {NoDuration::off, "5m", 300},
    };
    for (const Case& c : cases) {
        CLI::App app;
        DurationValue value;
        add_duration_option(app, "--d", value, "help", c.none);
        if (c.seconds) {
            parse(app, {"--d", c.text});
            EXPECT_EQ(value.seconds, *c.seconds) << c.text;
        } else {
            EXPECT_THROW(parse(app, {"--d", c.text}), InputError) << c.text;
        }
    }
}

TEST(ReadOption, NamesTheOptionInTheLowerLayersMessage) {
    try {
        read_option("--since", [] { return parse_time_option("yesterday", 0); });
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--since: 'yesterday' is not a time", 0), 0u)
            << e.what();
    }
    EXPECT_EQ(read_option("--x", [] { return 7; }), 7);
}

TEST(SettleLevels, OneGivenAloneMovesTheOthersDefaultOutOfItsWay) {
    struct Case {
        std::optional<double> warning, critical;
        double want_warning, want_critical;
    };
    // Utilization: 80 and 90 by default, higher is more severe.
    const Case cases[] = {
        {std::nullopt, std::nullopt, 80, 90}, {95, std::nullopt, 95, 95},
        {85, std::nullopt, 85, 90},           {std::nullopt, 70, 70, 70},
        {std::nullopt, 95, 80, 95},           {95, 70, 95, 70},  // both given: as given
    };
    for (const Case& c : cases) {
        const auto [w, cr] = settle_levels(c.warning, c.critical, 80.0, 90.0, std::greater<>());
        EXPECT_EQ(w, c.want_warning);
        EXPECT_EQ(cr, c.want_critical);
    }
    // Time left: 30 and 7 days by default, shorter is more severe.
    EXPECT_EQ(settle_levels<int>(3, std::nullopt, 30, 7, std::less<>()), std::pair(3, 3));
    EXPECT_EQ(settle_levels<int>(std::nullopt, 60, 30, 7, std::less<>()), std::pair(60, 60));
    EXPECT_EQ(settle_levels<int>(std::nullopt, 5, 30, 7, std::less<>()), std::pair(30, 5));
}

}  // namespace
}  // namespace fostat
