// SIGINT and SIGTERM (on Windows Ctrl+C and Ctrl+Break) end a collector cleanly: the current run
// finishes or rolls back.
#pragma once

#include <cstdint>

namespace fostat {

void install_stop_handlers();
bool stop_requested();
// Sleeps until the Unix time `deadline`; returns false early if a stop was requested.
bool sleep_until(std::int64_t deadline);

}  // namespace fostat
