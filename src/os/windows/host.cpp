#include "os/host.h"

#include <windows.h>

namespace fostat::os {

std::string host_name() {
    char name[256] = {};
    DWORD size = sizeof name;
    if (GetComputerNameExA(ComputerNameDnsHostname, name, &size) == 0)
        return "";
    return name;
}

}  // namespace fostat::os
