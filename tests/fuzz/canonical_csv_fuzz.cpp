// libFuzzer target: the canonical CSV reader, as import uses it. Any input must end in
// samples or an InputError; anything else (a crash, a sanitizer report, another exception)
// is a finding.
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
        fostat::import_canonical_csv(in, "fuzz.csv", sink);
    } catch (const fostat::InputError&) {
    }
    return 0;
}
