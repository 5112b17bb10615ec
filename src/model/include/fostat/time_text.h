// Times and durations as people type them and as fostat shows them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace fostat {

// The exact canonical form "YYYY-MM-DDTHH:MM:SSZ", parsed without streams: the hot path of
// an import. nullopt when the text is not exactly that form or not a real date-time.
std::optional<std::int64_t> parse_canonical_timestamp(std::string_view text);

// Any ISO 8601 date-time fostat accepts in a file: "2026-11-24T08:00:00Z",
// "2026-11-24T09:00:00+01:00", "+0100", "+01", fractional seconds are truncated, 'T' or ' '
// between date and time. A date-time without zone is refused (ambiguous).
// Throws InputError with a message that shows what was expected; callers prefix the place.
std::int64_t parse_timestamp(std::string_view text);

// What --since and --until take: any parse_timestamp form, a date "2026-11-24" (midnight
// UTC), "now", or a duration relative to now: "-7d", "-12h", "+1h".
std::int64_t parse_time_option(std::string_view text, std::int64_t now);

// "30s", "5m", "1h", "1d", "1w", also combined "1h30m". Throws InputError; result > 0.
std::int64_t parse_duration(std::string_view text);
// The shortest form parse_duration reads back: 300 -> "5m", 5400 -> "1h30m".
std::string format_duration(std::int64_t seconds);

// "2026-11-24T08:00:00Z".
std::string format_utc(std::int64_t unix_seconds);

// How TimeFormatter writes an instant (--time-format).
enum class TimeStyle {
    iso,          // ISO 8601 with its zone: "2026-11-24T08:00:00Z", "2026-11-24T09:00:00+01:00"
    spreadsheet,  // the zone's wall clock without the zone, "2026-11-24 09:00:00", which
                  // LibreOffice and Excel read as a date-time
    epoch,        // Unix seconds, "1795507200", whatever the zone
};

// Throws InputError for anything but iso, spreadsheet, epoch.
TimeStyle parse_time_style(std::string_view text);

// Shows instants in UTC or in an IANA zone ("2026-11-24T09:00:00+01:00").
class TimeFormatter {
  public:
    // Empty zone or "UTC" shows UTC with 'Z'. Throws InputError for an unknown zone.
    explicit TimeFormatter(std::string_view zone = {}, TimeStyle style = TimeStyle::iso);
    std::string format(std::int64_t unix_seconds) const;
    // The zone it shows; null: UTC.
    const date::time_zone* zone() const { return zone_; }

  private:
    const date::time_zone* zone_ = nullptr;  // null: UTC
    TimeStyle style_ = TimeStyle::iso;
};

std::int64_t unix_now();

}  // namespace fostat
