// The import source: samples from files in the canonical CSV (docs/csv.md) and from Windows
// PowerShell exports of DHCP failover statistics (sources/powershell_import.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/byte_source.h"
#include "fostat/sample_sink.h"
#include "sources/powershell_import.h"

namespace fostat {

// Called every few thousand rows with the bytes read so far and the total when known.
// It may throw to stop the import (an interrupt).
using ImportProgress = std::function<void(std::uint64_t bytes, std::optional<std::uint64_t> total)>;

// Reads every row of `in` into `sink`. Returns the number of rows read.
// Throws InputError "name:line: ..." for the first bad row, including a sample the sink
// refuses (a conflict with a stored one).
std::uint64_t import_canonical_csv(ByteSource& in, const std::string& name, SampleSink& sink,
                                   const ImportProgress& progress = {});

enum class ImportFormat { canonical_csv, powershell_csv, powershell_json };

// Tells the format from the start of a file, after a UTF-8 byte-order mark and blank space:
// '{' or '[' is JSON; a "#TYPE " line or a first line with a ScopeId column is a PowerShell
// CSV; anything else is the canonical CSV (whose reader names what is wrong with it).
// REQUIRES: `head` is UTF-8 (decoded if the file was UTF-16); its first line may be cut.
ImportFormat detect_import_format(std::string_view head);

struct ImportSummary {
    ImportFormat format = ImportFormat::canonical_csv;
    std::uint64_t samples = 0;
    std::vector<std::string> skipped_scopes;  // PowerShell: failover statistics all null
};

// Reads one file of any format import knows into `sink`. The canonical CSV is streamed;
// a PowerShell export (small: one server at one time) is read whole, decoded from UTF-16
// when it starts with a UTF-16 byte-order mark. Throws InputError as the readers do.
ImportSummary import_file(ByteSource& in, const std::string& name,
                          const PowerShellDefaults& defaults, SampleSink& sink,
                          const ImportProgress& progress = {});

}  // namespace fostat
