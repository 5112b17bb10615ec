// libFuzzer target: the dhcpd.leases journal parser. Any input must parse or throw
// InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/byte_source.h"
#include "fostat/error.h"
#include "sources/isc_leases.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fostat::StringSource in(std::string(reinterpret_cast<const char*>(data), size), 613);
    try {
        fostat::parse_leases(in, "fuzz.leases");
    } catch (const fostat::InputError&) {
    }
    return 0;
}
