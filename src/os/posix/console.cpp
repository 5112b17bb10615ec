#include "os/console.h"

#include <unistd.h>

#include <csignal>

namespace fostat::os {
namespace {

// The flag that set_on_stop was given; read by the signal handler, so lock-free.
std::atomic<std::atomic<bool>*> g_stop{nullptr};
static_assert(std::atomic<std::atomic<bool>*>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int) {
    if (std::atomic<bool>* stop = g_stop.load())
        *stop = true;
}

}  // namespace

bool stderr_is_terminal() {
    return isatty(STDERR_FILENO) == 1;
}

void set_on_stop(std::atomic<bool>& stop) {
    g_stop = &stop;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A collector started from a terminal that closes, or told to by an init script's
    // reload, finishes its run rather than losing it (docs/cli.md, SIGNALS).
    sigaction(SIGHUP, &action, nullptr);
}

}  // namespace fostat::os
