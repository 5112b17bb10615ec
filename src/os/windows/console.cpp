#include "os/console.h"

#include <io.h>
#include <windows.h>

#include <cstdio>

namespace fostat::os {
namespace {

// The flag that set_on_stop was given; set on the console's handler thread.
std::atomic<std::atomic<bool>*> g_stop{nullptr};

// Ctrl+C and Ctrl+Break, Windows' counterparts of SIGINT; returning TRUE keeps the process
// alive until it ends by itself. Other events (closing the console, logoff) are left to the
// default handler, which ends the process.
BOOL WINAPI on_console_event(DWORD event) {
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT)
        return FALSE;
    if (std::atomic<bool>* stop = g_stop.load())
        *stop = true;
    return TRUE;
}

}  // namespace

bool stderr_is_terminal() {
    return _isatty(_fileno(stderr)) != 0;
}

void set_on_stop(std::atomic<bool>& stop) {
    g_stop = &stop;
    SetConsoleCtrlHandler(on_console_event, TRUE);
}

}  // namespace fostat::os
