// Option values read as the command line is parsed: a value that is wrong is refused there,
// in one line naming the option (docs/cli.md, Errors), before any file is opened.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>

#include "fostat/error.h"

namespace fostat {

// Calls `read` and returns its value; an InputError it throws, which says what is wrong with
// a value, comes back naming the option: "--since: 'yesterday' is not a time: ...". The one
// place where the command line adds the option's name to a lower layer's message.
template <typename Read>
auto read_option(std::string_view option, Read&& read) -> decltype(read()) {
    try {
        return std::forward<Read>(read)();
    } catch (const InputError& e) {
        throw InputError(std::string(option) + ": " + e.what());
    }
}

// A DURATION option: the text as given (or the default), for messages, and its seconds.
struct DurationValue {
    std::string text;
    std::int64_t seconds = 0;
};

// Which word, besides a duration, means none: "0" (imbalance's --for 0, every episode) or
// "off" (--max-skew off). Both read as 0 seconds.
enum class NoDuration { refused, zero, off };

// Adds `name` DURATION (30s, 5m, 1h30m: parse_duration) to `app`, read into `value`. A
// `value.text` set beforehand is the default, shown by --help; empty means no default (0 s).
// Bound to the same `value` when added to several Apps (before and after the command word).
CLI::Option* add_duration_option(CLI::App& app, const std::string& name, DurationValue& value,
                                 const std::string& help, NoDuration none = NoDuration::refused);

}  // namespace fostat
