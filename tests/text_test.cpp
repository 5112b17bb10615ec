#include "fostat/text.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

namespace fostat {
namespace {

TEST(Text, DecodesOnlyValidUtf8) {
    struct Case {
        std::string bytes;
        char32_t code;
        std::size_t length;
    };
    const Case cases[] = {
        {"a", U'a', 1},
        {"\xC3\xA9", U'\u00E9', 2},              // é
        {"\xE6\x9D\xB1", U'\u6771', 3},          // 東
        {"\xF0\x9F\x98\x80", U'\U0001F600', 4},  // 😀
        {"\xF4\x8F\xBF\xBF", U'\U0010FFFF', 4},
        {"\xC0\xAF", 0, 0},          // overlong '/'
        {"\xE0\x80\xAF", 0, 0},      // overlong '/', three bytes
        {"\xF0\x80\x80\xAF", 0, 0},  // overlong '/', four bytes
        {"\xED\xA0\x80", 0, 0},      // surrogate U+D800
        {"\xED\xBF\xBF", 0, 0},      // surrogate U+DFFF
        {"\xF4\x90\x80\x80", 0, 0},  // U+110000
        {"\xF5\x80\x80\x80", 0, 0},  // no lead byte above 0xF4
        {"\xC3", 0, 0},              // cut short
        {"\xE6\x9D", 0, 0},          // cut short
        {"\x80", 0, 0},              // a stray continuation byte
        {"\xC3(", 0, 0},             // a lead byte without its continuation
        {"\xFF", 0, 0},
    };
    for (const Case& c : cases) {
        const Utf8Char got = decode_utf8(c.bytes, 0);
        EXPECT_EQ(got.length, c.length) << terminal_text(c.bytes);
        if (c.length) {
            EXPECT_EQ(got.code, c.code) << terminal_text(c.bytes);
        }
    }
}

TEST(Text, NameProblemRefusesControlsAndInvalidUtf8) {
    struct Case {
        std::string name;
        std::optional<std::string> problem;
    };
    const Case cases[] = {
        {"dhcp1", std::nullopt},
        {"dhcp1.example.org", std::nullopt},
        {"dhcp\\1 \"x\" ~", std::nullopt},
        {"", std::nullopt},
        {"東京-dhcp", std::nullopt},
        {"dhcp-😀", std::nullopt},
        {"Zürich", std::nullopt},
        {"e\xCC\x81", std::nullopt},  // e and a combining acute accent
        {"x\x1b]0;evil\x07",
         "'x\\x1b]0;evil\\x07' holds the control character \\x1b; a name is printable UTF-8"},
        {std::string("a\0b", 3),
         "'a\\x00b' holds the control character \\x00; a name is printable UTF-8"},
        {"a\nb", "'a\\nb' holds the control character \\n; a name is printable UTF-8"},
        {"a\tb", "'a\\tb' holds the control character \\t; a name is printable UTF-8"},
        {"a\rb", "'a\\rb' holds the control character \\r; a name is printable UTF-8"},
        {"a\x7f", "'a\\x7f' holds the control character \\x7f; a name is printable UTF-8"},
        {"a\xC2\x9B"
         "31m",
         "'a\\u009b31m' holds the control character \\u009b; a name is printable UTF-8"},
        {"a\xC2\x80", "'a\\u0080' holds the control character \\u0080; a name is printable UTF-8"},
        {"a\xC2\xA0", std::nullopt},  // U+00A0, the first after C1
        {"dhcp\xff", "'dhcp\\xff' is not UTF-8 (byte \\xff); a name is printable UTF-8"},
        {"\xC0\xAF", "'\\xc0\\xaf' is not UTF-8 (byte \\xc0); a name is printable UTF-8"},
        {"s\xED\xA0\x80",
         "'s\\xed\\xa0\\x80' is not UTF-8 (byte \\xed); a name is printable UTF-8"},
        {"t\xE6\x9D", "'t\\xe6\\x9d' is not UTF-8 (byte \\xe6); a name is printable UTF-8"},
        {"u\xF4\x90\x80\x80",
         "'u\\xf4\\x90\\x80\\x80' is not UTF-8 (byte \\xf4); a name is printable UTF-8"},
    };
    for (const Case& c : cases)
        EXPECT_EQ(name_problem(c.name), c.problem) << terminal_text(c.name);
}

TEST(Text, NameProblemShowsALongNameCut) {
    const std::string name = std::string(100, 'a') + "\x1b";
    EXPECT_EQ(name_problem(name),
              "'" + std::string(40, 'a') +
                  "...' holds the control character \\x1b; a name is printable UTF-8");
}

TEST(Text, TerminalTextEscapesWhatATerminalWouldObey) {
    struct Case {
        std::string text;
        std::string shown;
    };
    const Case cases[] = {
        {"dhcp1", "dhcp1"},
        {"東京 😀 Zürich e\xCC\x81", "東京 😀 Zürich e\xCC\x81"},
        {"x\x1b]0;evil\x07", "x\\x1b]0;evil\\x07"},
        {"a\nb\r\tc", "a\\nb\\r\\tc"},
        {std::string("\0", 1), "\\x00"},
        {"back\\slash", "back\\\\slash"},
        {"\\x1b", "\\\\x1b"},  // a name that spells an escape stays told apart from one
        {"del\x7f", "del\\x7f"},
        {"csi\xC2\x9B", "csi\\u009b"},
        {"bad\xff\xfe", "bad\\xff\\xfe"},
        {"cut\xE6\x9D", "cut\\xe6\\x9d"},
        {"over\xC0\xAF", "over\\xc0\\xaf"},
        {"rlo\xE2\x80\xAEtxt", "rlo\\u202etxt"},
        {"ls\xE2\x80\xA8", "ls\\u2028"},
        {"iso\xE2\x81\xA6", "iso\\u2066"},
    };
    for (const Case& c : cases)
        EXPECT_EQ(terminal_text(c.text), c.shown);
}

TEST(Text, TerminalTextHoldsNoControlByte) {
    std::string every;
    for (int b = 0; b < 256; ++b)
        every.push_back(static_cast<char>(b));
    const std::string shown = terminal_text(every);
    for (unsigned char c : shown)
        EXPECT_TRUE(c >= 0x20 && c != 0x7F && c < 0x80) << static_cast<int>(c);
    EXPECT_FALSE(name_problem(shown).has_value());
}

TEST(Text, DisplayWidthCountsTerminalColumns) {
    struct Case {
        std::string text;
        std::size_t width;
    };
    const Case cases[] = {
        {"", 0},
        {"dhcp1", 5},
        {"東京", 4},      // CJK ideographs: wide
        {"ｄｈｃｐ", 8},  // fullwidth Latin
        {"한국", 4},      // Hangul syllables
        {"カタカナ", 8},
        {"ｶﾀｶﾅ", 4},  // halfwidth katakana: narrow
        {"😀", 2},     // emoji
        {"dhcp-🚀", 7},
        {"e\xCC\x81", 1},       // e + combining acute accent
        {"Zu\xCC\x88rich", 6},  // u + combining diaeresis
        {"Zürich", 6},          // precomposed ü
        {"a\xE2\x80\x8B"
         "b",
         2},  // zero-width space
        {"a\xE2\x80\x8D"
         "b",
         2},  // zero-width joiner
        {"\xEF\xBB\xBF"
         "x",
         1},                              // byte-order mark
        {"\xE1\x84\x80\xE1\x85\xA1", 2},  // Hangul jamo: leading consonant (2) + vowel (0)
        {"a\x1b"
         "b",
         2},  // control characters take no column
        {"a\xff"
         "b",
         3},                      // an invalid byte shows as one replacement character
        {"\xF0\xA0\x80\x80", 2},  // CJK extension B
        {"€", 1},
        {"\xC2\xAD", 1},  // a soft hyphen is shown
    };
    for (const Case& c : cases)
        EXPECT_EQ(display_width(c.text), c.width) << terminal_text(c.text);
}

TEST(Text, WordKeyIgnoresCaseDashesUnderscoresAndSpaces) {
    const std::pair<std::string, std::string> cases[] = {
        {"COMMUNICATION_INT", "communicationint"},
        {"CommunicationInterrupted", "communicationinterrupted"},
        {"communications-interrupted", "communicationsinterrupted"},
        {"Load Balance", "loadbalance"},
        {"", ""},
        {"-_ ", ""},
        {"\xC3\x89tat", "\xC3\x89tat"},  // only ASCII letters are lowered
    };
    for (const auto& [word, key] : cases)
        EXPECT_EQ(word_key(word), key) << word;
}

}  // namespace
}  // namespace fostat
