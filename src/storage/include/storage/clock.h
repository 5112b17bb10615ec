// The time storage records: when a run started and ended (docs/design.md § Runs). It comes
// from a clock passed in, so that a test can set it.
#pragma once

#include <cstdint>

namespace fostat {

class Clock {
  public:
    virtual ~Clock() = default;
    // Unix seconds.
    virtual std::int64_t now() const = 0;
};

// The system's clock (unix_now(), fostat/time_text.h); it lives as long as the program.
const Clock& system_clock();

}  // namespace fostat
