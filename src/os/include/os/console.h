// The console and the process' signals, where POSIX and Windows differ (docs/design.md
// § Layers: os).
#pragma once

#include <atomic>

namespace fostat::os {

// Whether stderr is a terminal (and not a file or a pipe).
bool stderr_is_terminal();

// From now on sets `stop` when the user or the system asks the process to stop: SIGINT,
// SIGTERM and SIGHUP on POSIX; Ctrl+C and Ctrl+Break on Windows, where the process then lives
// on until it ends by itself (closing the console or logging off still ends it at once).
// Setting `stop` is all that happens: the process must look at it.
// REQUIRES: `stop` lives until the process ends.
void set_on_stop(std::atomic<bool>& stop);

}  // namespace fostat::os
