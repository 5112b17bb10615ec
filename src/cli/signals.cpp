#include "cli/signals.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <csignal>
#endif

#include <atomic>
#include <chrono>
#include <thread>

#include "fostat/time_text.h"

namespace fostat {
namespace {

// Set by a signal handler, or on Windows by the console's handler thread: lock-free, so safe
// for both.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

#ifdef _WIN32
// Ctrl+C and Ctrl+Break, Windows' counterparts of SIGINT; returning TRUE keeps the process
// alive until the loop has ended. Other events (closing the console, logoff) are left to the
// default handler, which ends the process: an unfinished run's transaction is never committed.
BOOL WINAPI on_console_event(DWORD event) {
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT)
        return FALSE;
    g_stop = true;
    return TRUE;
}
#else
extern "C" void on_stop_signal(int) {
    g_stop = true;
}
#endif

}  // namespace

void install_stop_handlers() {
#ifdef _WIN32
    SetConsoleCtrlHandler(on_console_event, TRUE);
#else
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A collector started from a terminal that closes, or told to by an init script's
    // reload, finishes its run rather than losing it (docs/cli.md, SIGNALS).
    sigaction(SIGHUP, &action, nullptr);
#endif
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
