// The machine's name (docs/design.md § Layers: os).
#pragma once

#include <string>

namespace fostat::os {

// The DNS host name, as gethostname gives it on POSIX (on Windows too, not the NetBIOS
// name); empty when it is unknown.
std::string host_name();

}  // namespace fostat::os
