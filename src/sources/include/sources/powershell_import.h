// Windows DHCP failover statistics as PowerShell writes them (docs/sources/windows.md):
//   - Get-DhcpServerv4ScopeStatistics -Failover | Export-Csv (or ConvertTo-Csv), with or
//     without Windows PowerShell 5.1's "#TYPE ..." first line;
//   - Get-DhcpServerv4ScopeStatistics -Failover | ConvertTo-Json, CIM members and all;
//   - the files of tools/windows/Export-FostatFailoverStats.ps1, CSV or JSON, which add the
//     time, the server and the failover relationship to every scope.
// Pure functions of the text: the caller reads the file and decodes it (decode_to_utf8).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fostat/error.h"
#include "fostat/sample_sink.h"

namespace fostat {

// What a file may leave out, given by the caller (the command line's --server and --at). A
// file's own ServerName and Timestamp win; a plain cmdlet export has neither.
struct PowerShellDefaults {
    std::string server;              // empty when not given
    std::optional<std::int64_t> at;  // Unix seconds
};

// A record without a ServerName (nor PSComputerName) or without a Timestamp, when
// PowerShellDefaults gives none either: "in:2: no Timestamp in the file and none given: give
// the time the file was written". Its parts let the command line name the option that gives
// the value instead of "none given" (docs/design.md § Layers).
class MissingDefault : public InputError {
  public:
    enum class Field { server, at };
    // `where` is "name:line", or empty before the record's place is known; `detail` says
    // why the file's own value does not count ("its PSComputerName is null, ...").
    MissingDefault(Field field, std::string where = {}, std::string detail = {});
    Field field() const { return field_; }
    const std::string& where() const { return where_; }
    // "no Timestamp in the file", "no ServerName in the file (DETAIL)"
    std::string missing() const;
    // What would supply the value: "give the time the file was written".
    std::string needed() const;
    // The same error at `name`:`line`.
    MissingDefault at(const std::string& name, std::uint64_t line) const;

  private:
    Field field_;
    std::string where_;
    std::string detail_;
};

struct PowerShellSummary {
    std::uint64_t samples = 0;
    // Scopes whose failover properties are all null: not in a failover relationship (or
    // exported without -Failover). Skipped, not stored; in file order.
    std::vector<std::string> skipped_scopes;
};

// `bytes` as UTF-8 without a byte-order mark: UTF-16 LE or BE with their BOM (what Windows
// PowerShell 5.1's Out-File and > write) are decoded, a UTF-8 BOM is dropped, anything
// else is taken as UTF-8 as it is. Throws InputError "name: ..." for UTF-16 that does not
// decode (an odd length, a lone surrogate).
std::string decode_to_utf8(std::string_view bytes, const std::string& name);

// REQUIRES: `text` is UTF-8 without BOM (decode_to_utf8). `name` names the input in messages.
// Each hands one sample per failover scope to `sink` and throws InputError "name:line: ..."
// for the first record that is wrong (a missing or mistyped property, a count that is not
// 0 to 4294967295, a mode or state it does not know), MissingDefault for one that lacks
// what `defaults` does not give either, and InputError for a sample the sink refuses.
PowerShellSummary read_powershell_csv(std::string_view text, const std::string& name,
                                      const PowerShellDefaults& defaults, SampleSink& sink);
// The line of a JSON error is the line where the offending scope's object starts (or, for
// text that is not JSON, the line of the first byte that is wrong).
PowerShellSummary read_powershell_json(std::string_view text, const std::string& name,
                                       const PowerShellDefaults& defaults, SampleSink& sink);

}  // namespace fostat
