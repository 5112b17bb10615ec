#include "sources/import.h"

#include <algorithm>
#include <cstring>

#include "formats/canonical_csv.h"
#include "fostat/error.h"

namespace fostat {
namespace {

constexpr std::uint64_t kProgressEvery = 1 << 16;
// Enough to see the first line of any header, and a UTF-16 byte-order mark.
constexpr std::size_t kHeadBytes = 4096;
// A PowerShell export is one server's scopes at one time: a few MiB at most.
constexpr std::size_t kMaxPowerShellBytes = std::size_t{256} << 20;

// Hands out `head` first, then the rest of `in`: what detection read is not lost, and the
// canonical reader sees one stream as before (no per-row work is added).
class ReplaySource : public ByteSource {
  public:
    ReplaySource(std::string head, ByteSource& in) : head_(std::move(head)), in_(in) {}
    std::size_t read(char* buffer, std::size_t size) override {
        if (offset_ < head_.size()) {
            const std::size_t n = std::min(size, head_.size() - offset_);
            std::memcpy(buffer, head_.data() + offset_, n);
            offset_ += n;
            return n;
        }
        return in_.read(buffer, size);
    }
    std::optional<std::uint64_t> size() const override { return in_.size(); }

  private:
    std::string head_;
    std::size_t offset_ = 0;
    ByteSource& in_;
};

std::string read_head(ByteSource& in) {
    std::string head(kHeadBytes, '\0');
    std::size_t filled = 0;
    while (filled < head.size()) {
        const std::size_t n = in.read(head.data() + filled, head.size() - filled);
        if (n == 0)
            break;
        filled += n;
    }
    head.resize(filled);
    return head;
}

std::string read_rest(std::string text, ByteSource& in, const std::string& name) {
    char buffer[1 << 16];
    for (;;) {
        const std::size_t n = in.read(buffer, sizeof buffer);
        if (n == 0)
            return text;
        if (text.size() + n > kMaxPowerShellBytes) {
            throw InputError(name +
                             ": a PowerShell export larger than 256 MiB: this is not one "
                             "server's statistics");
        }
        text.append(buffer, n);
    }
}

bool utf16_bom(std::string_view bytes) {
    return bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                                 (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
}

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

ImportFormat detect_import_format(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF"))
        head.remove_prefix(3);
    const std::size_t start = head.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return ImportFormat::canonical_csv;
    head.remove_prefix(start);
    if (head[0] == '{' || head[0] == '[')
        return ImportFormat::powershell_json;
    if (head.starts_with("#TYPE"))
        return ImportFormat::powershell_csv;
    const std::string_view line = head.substr(0, head.find('\n'));
    // A header column named ScopeId, quoted (as Export-Csv writes it) or not, any case.
    for (std::size_t at = 0; at <= line.size();) {
        std::size_t end = line.find(',', at);
        if (end == std::string_view::npos)
            end = line.size();
        std::string_view column = line.substr(at, end - at);
        while (!column.empty() && (column.back() == '\r' || column.back() == ' '))
            column.remove_suffix(1);
        if (column.size() >= 2 && column.front() == '"' && column.back() == '"')
            column = column.substr(1, column.size() - 2);
        if (column.size() == 7 && std::equal(column.begin(), column.end(), "scopeid",
                                             [](char a, char b) { return (a | 0x20) == b; })) {
            return ImportFormat::powershell_csv;
        }
        at = end + 1;
    }
    return ImportFormat::canonical_csv;
}

ImportSummary import_file(ByteSource& in, const std::string& name,
                          const PowerShellDefaults& defaults, SampleSink& sink,
                          const ImportProgress& progress) {
    std::string head = read_head(in);
    ImportSummary summary;
    const bool utf16 = utf16_bom(head);
    std::string text;
    if (utf16) {
        text = decode_to_utf8(read_rest(std::move(head), in, name), name);
        summary.format = detect_import_format(text);
    } else {
        summary.format = detect_import_format(head);
    }
    if (summary.format == ImportFormat::canonical_csv) {
        if (utf16) {
            StringSource decoded(std::move(text));
            summary.samples = import_canonical_csv(decoded, name, sink, progress);
        } else {
            ReplaySource replay(std::move(head), in);
            summary.samples = import_canonical_csv(replay, name, sink, progress);
        }
        return summary;
    }
    if (!utf16)
        text = decode_to_utf8(read_rest(std::move(head), in, name), name);
    PowerShellSummary ps = summary.format == ImportFormat::powershell_json
                               ? read_powershell_json(text, name, defaults, sink)
                               : read_powershell_csv(text, name, defaults, sink);
    summary.samples = ps.samples;
    summary.skipped_scopes = std::move(ps.skipped_scopes);
    if (progress)
        progress(in.size().value_or(text.size()), in.size());
    return summary;
}

}  // namespace fostat
