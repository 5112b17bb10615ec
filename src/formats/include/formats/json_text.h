// JSON text for the writers that build JSON themselves (the JSON format, the HTML report's
// embedded data).
#pragma once

#include <string>
#include <string_view>

namespace fostat {

// Appends `text` as a JSON string, quotes included. JSON text is UTF-8: a byte that is not
// (a name stored by an older version) becomes U+FFFD; control characters are escaped.
void append_json_string(std::string& out, std::string_view text);

}  // namespace fostat
