// libFuzzer target: the dhcpd.conf parser. Any input must parse or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fostat/error.h"
#include "sources/isc_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fostat::MemoryConfigFiles files;
    files.files["fuzz.conf"] = std::string(reinterpret_cast<const char*>(data), size);
    files.files["common.conf"] = "subnet 10.0.0.0 netmask 255.255.255.0 { }\n";
    try {
        fostat::parse_isc_config(files, "fuzz.conf");
    } catch (const fostat::InputError&) {
    }
    return 0;
}
