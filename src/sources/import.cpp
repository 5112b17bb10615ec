#include "sources/import.h"

#include "format/canonical_csv.h"
#include "fostat/error.h"

namespace fostat {
namespace {

constexpr std::uint64_t kProgressEvery = 1 << 16;

}  // namespace

std::uint64_t import_canonical_csv(ByteSource& in, const std::string& name, SampleSink& sink,
                                   const ImportProgress& progress) {
    CanonicalCsvReader reader(in, name);
    Sample sample;
    std::uint64_t rows = 0;
    while (reader.next(sample)) {
        try {
            sink.add(sample);
        } catch (const InputError& e) {
            throw InputError(at_line(name, reader.line(), e.what()));
        }
        if (++rows % kProgressEvery == 0 && progress)
            progress(reader.bytes_consumed(), in.size());
    }
    if (progress)
        progress(reader.bytes_consumed(), in.size());
    return rows;
}

}  // namespace fostat
