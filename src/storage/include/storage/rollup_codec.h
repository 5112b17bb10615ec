// A day's rollups packed for the `daily` and `hourly` columns of the rollups table
// (schema/0002_rollups.sql); rollup_codec.cpp describes the layout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/rollup_stats.h"

namespace fostat {

// The packed forms of the `daily` and `hourly` columns; decoding throws StorageError for a
// damaged blob.
std::string encode_daily(const DayRollup& rollup);
std::string encode_hourly(const DayRollup& rollup);
RollupStats decode_daily(std::int64_t day, std::string_view data);
std::vector<Rollup> decode_hourly(std::int64_t day, std::string_view data);

}  // namespace fostat
