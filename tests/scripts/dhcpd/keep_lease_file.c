/* LD_PRELOAD shim for `dhcpd -T` (tests/scripts/dhcpd/reading.bash): dhcpd writes every lease
 * it loaded to "<lease file>.<time>" and then unlinks that file; this unlink() leaves the files
 * whose name starts with $FOSTAT_KEEP_PREFIX, so that a test can read what dhcpd loaded. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

int unlink(const char* path) {
    const char* keep = getenv("FOSTAT_KEEP_PREFIX");
    if (keep && *keep && strncmp(path, keep, strlen(keep)) == 0)
        return 0;
    int (*real_unlink)(const char*) = (int (*)(const char*))dlsym(RTLD_NEXT, "unlink");
    return real_unlink(path);
}
