// Names the user typed that must be stored: both programs' --server and --scope.
#pragma once

#include <string>
#include <vector>

#include "storage/sample_reader.h"

namespace fostat {

// Throws InputError for a --server or --scope of `filter` that names nothing stored in the
// database `db`, with the stored name it most likely means (the same server but for case
// or a letter; the same address with or without a prefix length, or a subnet that holds it)
// and the stored names when they are few. `typed_scopes`: the scopes as the user wrote them,
// in the order of filter.scopes. Names are shown as terminal_text (text.h).
void require_known_names(SampleReader& reader, const std::string& db,
                         const std::vector<std::string>& typed_scopes, const SeriesFilter& filter);

}  // namespace fostat
