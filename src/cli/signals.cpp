#include "cli/signals.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "fostat/time_text.h"
#include "os/console.h"

namespace fostat {
namespace {

// Set by a signal handler, or on Windows by the console's handler thread (os::set_on_stop).
// Where the console ends the process instead (closing it, logoff), an unfinished run's
// transaction is never committed.
std::atomic<bool> g_stop{false};

}  // namespace

void install_stop_handlers() {
    os::set_on_stop(g_stop);
}

bool stop_requested() {
    return g_stop;
}

bool sleep_until(std::int64_t deadline) {
    while (!stop_requested()) {
        const std::int64_t left = deadline - unix_now();
        if (left <= 0)
            return true;
        // Short naps so that a stop is noticed within a fraction of a second.
        std::this_thread::sleep_for(std::chrono::milliseconds(left < 1 ? 100 : 200));
    }
    return false;
}

}  // namespace fostat
