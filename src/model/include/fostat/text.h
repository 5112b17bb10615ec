// Names as text: which a sample may carry, how one is shown to a person, how wide it is on a
// terminal (docs/csv.md, Servers and relationships). Pure functions of their input,
// locale-independent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fostat {

// One character of UTF-8 text: its code point and how many bytes encode it.
struct Utf8Char {
    char32_t code = 0;
    std::size_t length = 0;  // 0: the byte at the position does not start a valid sequence
};

// The character that starts at byte `at` of `text`. A valid sequence is the shortest encoding
// of a code point up to U+10FFFF that is not a surrogate; anything else (an overlong form, a
// surrogate, a sequence cut short, a stray continuation byte, 0xF5 to 0xFF) has length 0.
// REQUIRES: at < text.size().
Utf8Char decode_utf8(std::string_view text, std::size_t at);

// True for the control characters: C0 (U+0000 to U+001F), DEL (U+007F) and C1 (U+0080 to
// U+009F).
constexpr bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Why `text` cannot be a server, relationship or scope name, or nullopt when it can: a name
// is UTF-8 without control characters. The reason shows the name as terminal_text does and
// names the first offending character or byte, e.g.
//   'dhcp\x1b]0;x\x07' holds the control character \x1b; a name is printable UTF-8
//   'dhcp\xff' is not UTF-8 (byte \xff); a name is printable UTF-8
// The caller prefixes what the name is ("server: ...").
std::optional<std::string> name_problem(std::string_view text);

// `text` as a terminal may show it: nothing in it can move the cursor, change the title or
// colours, or start a new line. Control characters become \n, \r, \t or \xNN (C1: \u0080 to
// \u009f), the characters that reorder or break a line (U+2028, U+2029, the bidirectional
// embeddings, overrides and isolates) \uNNNN, a backslash \\, and each byte that is not
// UTF-8 \xNN. Printable UTF-8 is kept as it is.
std::string terminal_text(std::string_view text);

// The columns `text` takes on a terminal: 2 for East Asian wide and fullwidth characters
// and emoji, 0 for combining marks, format characters (zero-width space and joiner, ...)
// and control characters, 1 for the rest, and 1 for each byte that is not UTF-8. Emoji
// sequences joined by U+200D count as their parts.
std::size_t display_width(std::string_view text);

// How a source's word for a state, a mode or a role is compared: in ASCII lower case without
// '-', '_' or spaces, so that Windows' COMMUNICATION_INT, PowerShell's CommunicationInterrupted
// and dhcpd's communications-interrupted meet (docs/design.md § States), and PowerShell's
// LoadBalance and fostat's load-balance.
std::string word_key(std::string_view word);

}  // namespace fostat
