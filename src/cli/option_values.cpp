#include "cli/option_values.h"

#include "fostat/time_text.h"

namespace fostat {
namespace {

std::int64_t read_duration(std::string_view text, NoDuration none) {
    if ((none == NoDuration::zero && text == "0") || (none == NoDuration::off && text == "off"))
        return 0;
    return parse_duration(text);
}

}  // namespace

CLI::Option* add_duration_option(CLI::App& app, const std::string& name, DurationValue& value,
                                 const std::string& help, NoDuration none) {
    if (!value.text.empty())
        value.seconds = read_duration(value.text, none);
    CLI::Option* option = app.add_option_function<std::string>(
        name,
        [&value, name, none](const std::string& text) {
            value.seconds = read_option(name, [&] { return read_duration(text, none); });
            value.text = text;
        },
        help);
    option->type_name("DURATION");
    if (!value.text.empty())
        option->default_str(value.text);
    return option;
}

}  // namespace fostat
