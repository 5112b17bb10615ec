#include "sources/isc_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "fostat/text.h"

namespace fostat {
namespace {

// A token as the cases write it: kind(text)@line:column, the text as terminal_text shows it
// (a backslash doubled, other bytes as \xNN), and " last" when no byte follows it.
std::string render(const IscToken& t) {
    static const char* const kKinds[] = {"end", "atom", "string", "punct"};
    std::string out = kKinds[static_cast<int>(t.kind)];
    if (t.kind != IscToken::Kind::end)
        out += "(" + terminal_text(t.text) + ")";
    out += "@" + std::to_string(t.line) + ":" + std::to_string(t.column);
    if (t.last)
        out += " last";
    return out;
}

// Every token of `text` up to the end, joined by " | ", the end marked "cut" when a quoted
// string was cut; or "error: <message>".
std::string tokens_of(const std::string& text, std::size_t buffer) {
    StringSource in(text);
    IscLexer lex(in, "t.conf", "dhcpd file", buffer);
    std::string out;
    try {
        for (;;) {
            const IscToken t = lex.next();
            if (!out.empty())
                out += " | ";
            out += render(t);
            if (t.kind == IscToken::Kind::end) {
                if (lex.cut_in_string())
                    out += " cut";
                return out;
            }
        }
    } catch (const InputError& e) {
        return std::string("error: ") + e.what();
    }
}

struct Case {
    std::string input;
    std::string expected;  // tokens_of's answer
};

// Each case at every buffer size, so that a refill falls inside every token, escape and
// comment of it: the answer must not change.
void check(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        for (std::size_t buffer = 1; buffer <= c.input.size() + 1; ++buffer) {
            EXPECT_EQ(tokens_of(c.input, buffer), c.expected)
                << "input: " << terminal_text(c.input) << "\nbuffer: " << buffer;
            if (tokens_of(c.input, buffer) != c.expected)
                break;
        }
    }
}

TEST(IscLexer, SplitsAtomsPunctuationAndStrings) {
    check({
        {"", "end@1:1"},
        {"lease 1.2.3.4 {", "atom(lease)@1:1 | atom(1.2.3.4)@1:7 | punct({)@1:15 | end@1:16"},
        {"a;b{c}d=e,f",
         "atom(a)@1:1 | punct(;)@1:2 | atom(b)@1:3 | punct({)@1:4 | atom(c)@1:5 | punct(})@1:6 | "
         "atom(d)@1:7 | punct(=)@1:8 | atom(e)@1:9 | punct(,)@1:10 | atom(f)@1:11 last | end@1:12"},
        {"hba ff:00:3;", "atom(hba)@1:1 | atom(ff:00:3)@1:5 | punct(;)@1:12 | end@1:13"},
        {"a\"b\"c", "atom(a)@1:1 | string(b)@1:2 | atom(c)@1:5 last | end@1:6"},
        {"a#b\"c\n#\nd", "atom(a)@1:1 | atom(d)@3:1 last | end@3:2"},
        {"a # } ; \" {\nb;", "atom(a)@1:1 | atom(b)@2:1 | punct(;)@2:2 | end@2:3"},
        {"\t a\r\n\f\vb \n", "atom(a)@1:3 | atom(b)@2:3 | end@3:1"},
        {"\"x\"", "string(x)@1:1 last | end@1:4"},
        {"\"\";", "string()@1:1 | punct(;)@1:3 | end@1:4"},
        {"\"a\nb\" c", "string(a\\nb)@1:1 | atom(c)@2:4 last | end@2:5"},
        {"\"; { } # \\\"\"", "string(; { } # \")@1:1 last | end@1:13"},
        {"\"caf\xc3\xa9\" # caf\xc3\xa9\n", "string(caf\xc3\xa9)@1:1 | end@2:1"},
    });
}

// dhcpd's read_string() (docs/sources/isc.md, "Quoted strings and escapes").
TEST(IscLexer, UnescapesQuotedStringsAsDhcpd) {
    check({
        {R"("a\tb\rc\nd\be")", "string(a\\tb\\rc\\nd\\x08e)@1:1 last | end@1:16"},
        {R"("\101\060\0012\000\377")", "string(A0\\x012\\x00\\xff)@1:1 last | end@1:24"},
        {R"("\x41\x4a\xfF\x411")", "string(AJ\\xffA1)@1:1 last | end@1:20"},
        // \4 to \7, \8 and \9 start no escape: the digit stands for itself.
        {R"("p\777")", "string(p777)@1:1 last | end@1:8"},
        {R"("\400\8\9")", "string(40089)@1:1 last | end@1:11"},
        // Any other byte stands for itself.
        {R"("\q\"\\\ \#")", "string(q\"\\\\ #)@1:1 last | end@1:13"},
        {"\"a\\\nb\" c", "string(a\\nb)@1:1 | atom(c)@2:4 last | end@2:5"},
        {"\"\\\xff\"", "string(\\xff)@1:1 last | end@1:5"},
    });
}

TEST(IscLexer, RefusesTheEscapesDhcpdRefuses) {
    check({
        {R"(x "p\xZZ";)",
         "error: t.conf:1: bad escape \\x in a quoted string: \\x takes two hex digits, found 'Z'"},
        {R"("\x4g")",
         "error: t.conf:1: bad escape \\x4 in a quoted string: \\x takes two hex digits, found "
         "'g'"},
        {R"("\x4")",
         "error: t.conf:1: bad escape \\x4 in a quoted string: \\x takes two hex digits, found "
         "'\"'"},
        {"\n\"\\x\n\"",
         "error: t.conf:2: bad escape \\x in a quoted string: \\x takes two hex digits, found "
         "'\\n'"},
        {R"("\01")",
         "error: t.conf:1: bad escape \\01 in a quoted string: \\0 to \\3 take three octal "
         "digits, found '\"'"},
        // dhcpd does not warn of these two, but reads a NUL and then the byte after the one that
        // cut the escape as if a backslash stood before it, the closing quote included.
        {R"("\0a")",
         "error: t.conf:1: bad escape \\0 in a quoted string: \\0 to \\3 take three octal "
         "digits, found 'a'"},
        {R"("\00")",
         "error: t.conf:1: bad escape \\00 in a quoted string: \\0 to \\3 take three octal "
         "digits, found '\"'"},
        {R"("\318")",
         "error: t.conf:1: bad escape \\31 in a quoted string: \\0 to \\3 take three octal "
         "digits, found '8'"},
        {"\"\\2\xff\"",
         "error: t.conf:1: bad escape \\2 in a quoted string: \\0 to \\3 take three octal "
         "digits, found '\\xff'"},
    });
}

TEST(IscLexer, ReportsAStringCutByTheEnd) {
    check({
        {"a \"bc", "atom(a)@1:1 | end@1:3 cut"},
        {"\n \"b;\n}\n", "end@2:2 cut"},
        {"\"\\", "end@1:1 cut"},
        {"\"\\x4", "end@1:1 cut"},
        {"\"\\01", "end@1:1 cut"},
    });
}

TEST(IscLexer, RefusesWhatIsNotDhcpdText) {
    const std::string long_word(kIscMaxToken + 1, 'w');
    const std::string long_string = "\"" + std::string(kIscMaxToken + 1, 's') + "\"";
    const std::vector<Case> cases = {
        {"a\x01", "error: t.conf:1: unexpected byte 0x01: not a dhcpd file"},
        {"a\n\x7f", "error: t.conf:2: unexpected byte 0x7f: not a dhcpd file"},
        {"caf\xc3\xa9;", "error: t.conf:1: unexpected byte 0xc3: not a dhcpd file"},
        {std::string("a;\0", 3), "error: t.conf:1: unexpected byte 0x00: not a dhcpd file"},
        {"\n" + long_word, "error: t.conf:2: a word longer than 65536 bytes: not a dhcpd file"},
        {"\n" + long_string,
         "error: t.conf:2: a quoted string longer than 65536 bytes: not a dhcpd file"},
    };
    for (const Case& c : cases)
        for (std::size_t buffer : {std::size_t{1}, std::size_t{7}, std::size_t{256 * 1024}})
            EXPECT_EQ(tokens_of(c.input, buffer), c.expected) << "buffer: " << buffer;
    EXPECT_EQ(tokens_of(long_word.substr(1), 1), "atom(" + long_word.substr(1) + ")@1:1 last | " +
                                                     "end@1:" + std::to_string(kIscMaxToken + 1));
}

// skip_statement() from the start of `text`: "skipped" or "cut", then the next token; or the
// error.
std::string skip_of(const std::string& text, std::size_t buffer) {
    StringSource in(text);
    IscLexer lex(in, "t.conf", "dhcpd file", buffer);
    try {
        if (!lex.skip_statement())
            return "cut";
        return "skipped, then " + render(lex.next());
    } catch (const InputError& e) {
        return std::string("error: ") + e.what();
    }
}

// Passing over a statement byte by byte reads what the tokens would: its end, its line count,
// its errors.
TEST(IscLexer, SkipsAStatementAsItsTokensRead) {
    const std::vector<Case> cases = {
        {"starts 3 2026/11/25 00:58:24; next", "skipped, then atom(next)@1:31 last"},
        {"on expiry {\n set a = \"}\";\n on release { log(\"z\"); }\n}\nnext",
         "skipped, then atom(next)@5:1 last"},
        {"x # ; }\n ; y", "skipped, then atom(y)@2:4 last"},
        {"x \"\\\";\" ; y", "skipped, then atom(y)@1:11 last"},
        {"x { } y", "skipped, then atom(y)@1:7 last"},
        {"x;", "skipped, then end@1:3"},
        {"a b\n\n c }", "error: t.conf:3: unbalanced '}': expected ';' to end the statement"},
        {"x { a;", "cut"},
        {"x \"ab", "cut"},
        {"x # ;", "cut"},
        {"set x = \"a\\x4g\";",
         "error: t.conf:1: bad escape \\x4 in a quoted string: \\x takes "
         "two hex digits, found 'g'"},
        {"starts 3\n 2026\x01;", "error: t.conf:2: unexpected byte 0x01: not a dhcpd file"},
    };
    for (const Case& c : cases) {
        for (std::size_t buffer = 1; buffer <= c.input.size() + 1; ++buffer) {
            EXPECT_EQ(skip_of(c.input, buffer), c.expected)
                << "input: " << terminal_text(c.input) << "\nbuffer: " << buffer;
            if (skip_of(c.input, buffer) != c.expected)
                break;
        }
    }
}

TEST(IscLexer, ParsesColonSeparatedHexBytes) {
    struct HexCase {
        std::string text;
        bool ok;
        std::string bytes;
    };
    const HexCase cases[] = {
        {"00:0c:3:ff", true, std::string("\x00\x0c\x03\xff", 4)},
        {"0", true, std::string(1, '\0')},
        {"aB", true, "\xab"},
        {"", false, ""},
        {"abc", false, ""},  // three digits
        {"1:", false, ""},
        {":1", false, ""},
        {"1::2", false, ""},
        {"01:zz", false, ""},
        {"01-02", false, ""},
    };
    for (const HexCase& c : cases) {
        std::string out = "junk";
        EXPECT_EQ(parse_hex_bytes(c.text, out), c.ok) << c.text;
        if (c.ok) {
            EXPECT_EQ(out, c.bytes) << c.text;
        }
    }
}

TEST(IscLexer, ReadsAddressesAsDhcpdDoes) {
    struct Case {
        std::string_view text;
        std::optional<std::uint32_t> address;
    };
    const Case cases[] = {
        {"10.10.0.10", 0x0a0a000a},
        {"10.10.0.0010", 0x0a0a000a},      // decimal whatever the number of digits
        {"010.000.001.0255", 0x0a0001ff},  // never octal
        {"0.0.0.0000000000000000001", 1},  // leading zeros do not overflow
        {"10.10.0.256", std::nullopt},
        {"10.10.0.99999999999999999999", std::nullopt},
        {"10.10.0", std::nullopt},
        {"10.10.0.1.", std::nullopt},
        {"10..0.1", std::nullopt},
        {"10.10.0.1a", std::nullopt},
        {"", std::nullopt},
    };
    for (const Case& c : cases)
        EXPECT_EQ(parse_isc_ipv4(c.text), c.address) << c.text;
}

}  // namespace
}  // namespace fostat
