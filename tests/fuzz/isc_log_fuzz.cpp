// libFuzzer target: dhcpd's pool log lines into samples (isc-log). Any input must end in
// samples or an InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "null_sink.h"
#include "sources/isc_log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fostat::LogClock clock(2026, "Europe/Berlin");
    fostat::StringSource in(std::string(reinterpret_cast<const char*>(data), size), 401);
    fostat::NullSink sink;
    try {
        fostat::isc_log_samples(in, "fuzz.log", clock, {"s", true, "rs-fo"}, sink);
    } catch (const fostat::InputError&) {
    }
    return 0;
}
