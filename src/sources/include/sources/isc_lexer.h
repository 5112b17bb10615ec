// dhcpd's lexical conventions (ISC DHCP's common/conflex.c), the one lexer of both dhcpd files
// fostat reads: dhcpd.conf (src/sources/isc_config.cpp) and dhcpd.leases
// (src/sources/isc_leases.cpp). docs/sources/isc.md, "Quoted strings and escapes".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/byte_source.h"

namespace fostat {

// No statement of dhcpd's files comes near this; a longer word or quoted string means the input
// is not one of them.
inline constexpr std::size_t kIscMaxToken = 64 * 1024;

struct IscToken {
    enum class Kind : std::uint8_t {
        end,     // the end of the input, or of a quoted string it cuts (IscLexer::cut_in_string)
        atom,    // a run of bytes up to white space, punctuation, '"' or '#'
        string,  // a quoted string, unescaped
        punct,   // one of { } ; = ,
    };
    Kind kind = Kind::end;
    // The atom, the unescaped string bytes, or the punctuation character. Valid until the lexer
    // is called again.
    std::string_view text;
    // Where the token starts (its opening quote for a string): the line from 1, and the byte of
    // that line from 1.
    std::uint64_t line = 0;
    std::uint64_t column = 0;
    // An atom or string that no byte follows: inside a statement, one that was cut short.
    bool last = false;

    bool is(std::string_view atom) const { return kind == Kind::atom && text == atom; }
    bool is_punct(char c) const { return kind == Kind::punct && text.size() == 1 && text[0] == c; }
};

// Reads tokens from a stream through one buffer: an atom is a view of it (moved to its front
// when a refill would cut it), a quoted string is unescaped into a buffer of its own, and
// skip_statement() passes over a statement byte by byte without making tokens
// (docs/sources/isc.md, "Speed"). White space and '#' comments separate tokens. A byte below
// 0x20 (other than white space) or above 0x7e outside a quoted string, a word or string longer
// than kIscMaxToken, and an escape dhcpd refuses are errors, thrown as InputError
// "name:line: ...".
class IscLexer {
  public:
    // `name` is how messages name the input; `kind` is what it should be ("dhcpd.leases file"),
    // for the messages that say it is not. `buffer_size` (at least 1) is how many bytes are read
    // at a time; the tokens do not depend on it.
    IscLexer(ByteSource& in, std::string name, std::string kind, std::size_t buffer_size);

    // Returns a token of kind end at the end of input.
    IscToken next();

    // Passes over the rest of a statement: up to its ';', or over its `{ ... }` block, exactly
    // as reading it token by token would, errors included. Returns false when the input ends
    // first (the caller reports the truncated statement).
    bool skip_statement();

    const std::string& name() const { return name_; }
    // The line the lexer has reached.
    std::uint64_t line() const { return line_; }
    // True when the input ended inside a quoted string.
    bool cut_in_string() const { return cut_in_string_; }

    // Throws InputError "name:line: message".
    [[noreturn]] void fail(std::uint64_t line, const std::string& message) const;

  private:
    [[noreturn]] void fail_byte(int c) const;
    void check_word_length(std::size_t length, std::uint64_t line) const;
    bool refill(std::size_t keep);
    bool more() { return pos_ < end_ || refill(pos_); }
    int get();
    int peek();
    void skip_comment();
    // Inline, defined in isc_lexer.cpp, the one file that calls them: next() is the hot path of
    // a journal, and without them inlined it costs 7 % more instructions
    // (docs/sources/isc.md, "Speed").
    inline int skip_blank();
    inline void read_atom(IscToken& token);
    void read_string(IscToken& token);
    int read_escape();
    std::uint64_t column_of(std::size_t pos) const { return base_ + pos - line_start_ + 1; }

    ByteSource& in_;
    std::string name_;
    std::string kind_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    std::uint64_t line_ = 1;
    std::uint64_t base_ = 0;        // the input offset of buffer_[0]
    std::uint64_t line_start_ = 0;  // the input offset of the first byte of line_
    bool cut_in_string_ = false;
    std::string string_;  // the last quoted string, unescaped
};

// "00:0c:3:ff" → its bytes in `out`: one or two hex digits per byte, as dhcpd's
// parse_numeric_aggregate reads a hardware address, a uid or an hba. False when the text is not
// that.
bool parse_hex_bytes(std::string_view text, std::string& out);

// "10.10.0.0010" → its address in host order: four decimal numbers joined by '.', each of any
// number of digits and at most 255, as dhcpd reads an address (docs/sources/isc.md, "What is
// read"); so "0010" is 10, never octal. Nullopt when the text is not that.
std::optional<std::uint32_t> parse_isc_ipv4(std::string_view text);

}  // namespace fostat
