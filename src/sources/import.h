// The import source: samples from files in the canonical CSV (DESIGN §2).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "format/byte_source.h"
#include "fostat/sample_sink.h"

namespace fostat {

// Called every few thousand rows with the bytes read so far and the total when known.
// It may throw to stop the import (an interrupt).
using ImportProgress = std::function<void(std::uint64_t bytes, std::optional<std::uint64_t> total)>;

// Reads every row of `in` into `sink`. Returns the number of rows read.
// Throws InputError "name:line: ..." for the first bad row, including a sample the sink
// refuses (a conflict with a stored one).
std::uint64_t import_canonical_csv(ByteSource& in, const std::string& name, SampleSink& sink,
                                   const ImportProgress& progress = {});

}  // namespace fostat
