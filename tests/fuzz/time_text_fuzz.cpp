// libFuzzer target: the time and duration parsers (import timestamps, --since/--until/--at,
// --every and the other durations). Any input must parse or throw InputError, and what parses
// must read back the same from its own canonical form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fostat/error.h"
#include "fostat/time_text.h"

namespace {

template <typename F>
void attempt(F&& parse) {
    try {
        parse();
    } catch (const fostat::InputError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (const auto t = fostat::parse_canonical_timestamp(text)) {
        if (fostat::parse_canonical_timestamp(fostat::format_utc(*t)) != t)
            std::abort();  // the canonical form must read back
    }
    attempt([&] {
        const std::int64_t t = fostat::parse_timestamp(text);
        if (fostat::parse_timestamp(fostat::format_utc(t)) != t)
            std::abort();
    });
    attempt([&] { fostat::parse_time_option(text, 1'795'507'200); });
    attempt([&] {
        const std::int64_t d = fostat::parse_duration(text);
        if (d <= 0 || fostat::parse_duration(fostat::format_duration(d)) != d)
            std::abort();
    });
    attempt([&] { fostat::parse_time_style(text); });
    return 0;
}
