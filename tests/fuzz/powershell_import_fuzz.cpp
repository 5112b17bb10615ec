// libFuzzer target: import's format detection and the PowerShell readers (UTF-16 decoding,
// PowerShell CSV, ConvertTo-Json output), as fostat-collect import uses them. Any input must
// end in samples or an InputError; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "null_sink.h"
#include "sources/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fostat::StringSource in(std::string(reinterpret_cast<const char*>(data), size), 977);
    fostat::NullSink sink;
    try {
        fostat::import_file(in, "fuzz", {"", std::nullopt}, sink);
    } catch (const fostat::InputError&) {
    }
    try {
        // With a server and a time, plain exports get past those checks to the mapping.
        fostat::StringSource again(std::string(reinterpret_cast<const char*>(data), size));
        fostat::import_file(again, "fuzz", {"dhcp1", 1'795'507'200}, sink);
    } catch (const fostat::InputError&) {
    }
    return 0;
}
