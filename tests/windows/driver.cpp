// The wine test's driver (tests/scripts/windows_wine.sh): the windows source over the real
// dhcpsapi adapter, against whatever dhcpsapi.dll is beside it. Prints the samples of one
// run as canonical CSV on standard output and a warning for each scope left out, or the
// run's error on standard error with exit status 3, as fostat-collect would; then, when the DLL is
// the test's fake, how many calls it served and how many of its buffers were handed out, are still
// outstanding, or were freed wrongly.
//
// Usage: driver.exe SERVER UNIX-SECONDS
#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/canonical_csv.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "sources/windows.h"

namespace {

class VectorSink : public fostat::SampleSink {
  public:
    void add(const fostat::Sample& sample) override { samples.push_back(sample); }
    std::vector<fostat::Sample> samples;
};

using Report = void(DWORD*, DWORD*, DWORD*, DWORD*);

void report_buffers() {
    const HMODULE dll = GetModuleHandleW(L"dhcpsapi.dll");
    const auto report = dll ? reinterpret_cast<Report*>(reinterpret_cast<void*>(
                                  GetProcAddress(dll, "FakeDhcpsapiReport")))
                            : nullptr;
    if (!report)
        return;
    DWORD calls = 0, handed_out = 0, outstanding = 0, bad_frees = 0;
    report(&calls, &handed_out, &outstanding, &bad_frees);
    std::fprintf(stderr,
                 "fake dhcpsapi: %lu calls, %lu buffers handed out, %lu outstanding, %lu bad "
                 "frees\n",
                 static_cast<unsigned long>(calls), static_cast<unsigned long>(handed_out),
                 static_cast<unsigned long>(outstanding), static_cast<unsigned long>(bad_frees));
}

}  // namespace

int main(int argc, char** argv) {
    // The CSV's bytes as they are: no "\r\n" from the C runtime's text mode.
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    if (argc != 3) {
        std::fprintf(stderr, "usage: driver.exe SERVER UNIX-SECONDS\n");
        return 2;
    }
    int status = 0;
    try {
        fostat::WindowsOptions options;
        options.server = argv[1];
        options.at = std::strtoll(argv[2], nullptr, 10);
        VectorSink sink;
        const auto api = fostat::open_dhcpsapi(options.server);
        const fostat::WindowsCounts counts = fostat::collect_windows(*api, options, sink);
        for (const std::string& failure : counts.failed_scopes)
            std::fprintf(stderr, "fostat-collect: warning: %s; that scope has no sample this run\n",
                         failure.c_str());
        const fostat::TimeFormatter utc;
        std::string out;
        fostat::append_canonical_header(out);
        for (const fostat::Sample& s : sink.samples)
            fostat::append_canonical_row(out, s, utc);
        std::fwrite(out.data(), 1, out.size(), stdout);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fostat-collect: %s\n", e.what());
        status = fostat::kExitError;
    }
    std::fflush(stdout);
    report_buffers();
    return status;
}
