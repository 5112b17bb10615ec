#include "cli/signals.h"

#include <csignal>
#include <ctime>

#include "time_text.h"

namespace fostat {
namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) {
    g_stop = 1;
}

}  // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() {
    return g_stop != 0;
}

bool sleep_until(std::int64_t deadline) {
    while (!stop_requested()) {
        const std::int64_t left = deadline - unix_now();
        if (left <= 0)
            return true;
        // Short naps so that a signal is noticed within a fraction of a second.
        timespec nap{0, 200'000'000};
        if (left < 1)
            nap.tv_nsec = 100'000'000;
        nanosleep(&nap, nullptr);
    }
    return false;
}

}  // namespace fostat
