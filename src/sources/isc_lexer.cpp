#include "sources/isc_lexer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "fostat/error.h"

namespace fostat {
namespace {

// What a byte can be outside a quoted string (conflex.c).
enum ByteClass : std::uint8_t {
    kWord,     // part of an atom
    kSpace,    // white space other than a newline
    kNewline,  // '\n'
    kPunct,    // { } ; = ,
    kQuote,    // '"'
    kHash,     // '#': a comment to the end of the line
    kForeign,  // never outside a quoted string of a file dhcpd reads
};

constexpr std::array<std::uint8_t, 256> make_classes() {
    std::array<std::uint8_t, 256> classes{};
    for (int c = 0; c < 256; ++c) {
        std::uint8_t k = kWord;
        if (c == '\n')
            k = kNewline;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            k = kSpace;
        else if (c == '{' || c == '}' || c == ';' || c == '=' || c == ',')
            k = kPunct;
        else if (c == '"')
            k = kQuote;
        else if (c == '#')
            k = kHash;
        else if (c < 0x20 || c >= 0x7f)
            k = kForeign;
        classes[static_cast<std::size_t>(c)] = k;
    }
    return classes;
}

constexpr std::array<std::uint8_t, 256> kClass = make_classes();

int hex_value(int c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string byte_name(int c) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("0x") + kHex[(c >> 4) & 15] + kHex[c & 15];
}

}  // namespace

IscLexer::IscLexer(ByteSource& in, std::string name, std::string kind, std::size_t buffer_size)
    : in_(in),
      name_(std::move(name)),
      kind_(std::move(kind)),
      buffer_(std::max<std::size_t>(buffer_size, 1)) {}

void IscLexer::fail(std::uint64_t line, const std::string& message) const {
    throw InputError(at_line(name_, line, message));
}

void IscLexer::fail_byte(int c) const {
    fail(line_, "unexpected byte " + byte_name(c) + ": not a " + kind_);
}

void IscLexer::check_word_length(std::size_t length, std::uint64_t line) const {
    if (length > kIscMaxToken)
        fail(line, "a word longer than " + std::to_string(kIscMaxToken) + " bytes: not a " + kind_);
}

IscToken IscLexer::next() {
    IscToken token;
    const int c = skip_blank();
    token.line = line_;
    if (c < 0) {
        token.column = column_of(pos_);
        return token;
    }
    token.column = column_of(pos_ - 1);
    const std::uint8_t k = kClass[static_cast<unsigned char>(c)];
    if (k == kQuote) {
        token.kind = IscToken::Kind::string;
        read_string(token);
        if (token.kind == IscToken::Kind::string)
            token.last = !more();
    } else if (k == kPunct) {
        token.kind = IscToken::Kind::punct;
        token.text = std::string_view(&buffer_[pos_ - 1], 1);
    } else {
        token.kind = IscToken::Kind::atom;
        read_atom(token);
    }
    return token;
}

bool IscLexer::skip_statement() {
    int depth = 0;
    for (;;) {
        if (pos_ == end_ && !refill(pos_))
            return false;
        const char* const data = buffer_.data();
        const char* p = data + pos_;
        const char* const e = data + end_;
        const char* newline = nullptr;  // the last one passed
        // Words and blanks need no decision: pass over them in the buffer.
        bool word_at_end = false;
        std::uint8_t k = kWord;
        while (p < e) {
            k = kClass[static_cast<unsigned char>(*p)];
            if (k == kSpace) {
                ++p;
            } else if (k == kNewline) {
                ++line_;
                newline = p;
                ++p;
            } else if (k == kWord) {
                const char* const word = p;
                while (++p < e && kClass[static_cast<unsigned char>(*p)] == kWord) {
                }
                if (p == e) {
                    p = word;
                    word_at_end = true;
                    break;
                }
                check_word_length(static_cast<std::size_t>(p - word), line_);
            } else {
                break;
            }
        }
        pos_ = static_cast<std::size_t>(p - data);
        if (newline)
            line_start_ = base_ + static_cast<std::size_t>(newline - data) + 1;
        if (word_at_end) {
            // A word the end of the buffer cuts: read it as a token, which keeps it whole.
            IscToken word;
            word.line = line_;
            ++pos_;
            read_atom(word);
            if (word.last)
                return false;
            continue;
        }
        if (p == e)
            continue;
        const int c = static_cast<unsigned char>(*p);
        ++pos_;
        switch (k) {
            case kHash:
                skip_comment();
                break;
            case kQuote: {
                IscToken string;
                string.kind = IscToken::Kind::string;
                string.line = line_;
                read_string(string);
                if (string.kind == IscToken::Kind::end)
                    return false;
                break;
            }
            case kPunct:
                if (c == ';' && depth == 0)
                    return true;
                if (c == '{') {
                    ++depth;
                } else if (c == '}') {
                    if (depth == 0)
                        fail(line_, "unbalanced '}': expected ';' to end the statement");
                    if (--depth == 0)
                        return true;
                }
                break;
            default:  // kForeign
                fail_byte(c);
        }
    }
}

// Moves the bytes from `keep` on to the front of the buffer (growing it when they fill it) and
// reads more after them. Returns false at the end of input (the bytes are moved all the same).
bool IscLexer::refill(std::size_t keep) {
    if (keep > 0) {
        std::memmove(buffer_.data(), buffer_.data() + keep, end_ - keep);
        pos_ -= keep;
        end_ -= keep;
        base_ += keep;
    }
    if (eof_)
        return false;
    if (end_ == buffer_.size())
        buffer_.resize(buffer_.size() * 2);
    const std::size_t n = in_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) {
        eof_ = true;
        return false;
    }
    end_ += n;
    return true;
}

int IscLexer::get() {
    if (pos_ == end_ && !refill(pos_))
        return -1;
    const int c = static_cast<unsigned char>(buffer_[pos_++]);
    if (c == '\n') {
        ++line_;
        line_start_ = base_ + pos_;
    }
    return c;
}

int IscLexer::peek() {
    if (pos_ == end_ && !refill(pos_))
        return -1;
    return static_cast<unsigned char>(buffer_[pos_]);
}

// After '#': up to the newline, which is left for the caller.
void IscLexer::skip_comment() {
    for (;;) {
        const void* nl = std::memchr(buffer_.data() + pos_, '\n', end_ - pos_);
        if (nl) {
            pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data());
            return;
        }
        pos_ = end_;
        if (!refill(pos_))
            return;
    }
}

// Skips white space and comments; returns the first byte of the next token, consumed, or -1 at
// the end of input.
inline int IscLexer::skip_blank() {
    for (;;) {
        // Through a local pointer: the members are written back only when the loop leaves.
        const char* const data = buffer_.data();
        const char* p = data + pos_;
        const char* const e = data + end_;
        int c = -1;
        std::uint8_t k = kSpace;
        while (p < e) {
            c = static_cast<unsigned char>(*p++);
            k = kClass[static_cast<std::size_t>(c)];
            if (k == kNewline) {
                ++line_;
                line_start_ = base_ + static_cast<std::size_t>(p - data);
            } else if (k != kSpace) {
                break;
            }
        }
        pos_ = static_cast<std::size_t>(p - data);
        if (k == kHash) {
            skip_comment();
            continue;
        }
        if (k == kForeign)
            fail_byte(c);
        if (k != kSpace && k != kNewline)
            return c;
        if (!refill(pos_))
            return -1;
    }
}

// The atom's first byte, at pos_ - 1, is consumed. Its text is a view of the buffer.
inline void IscLexer::read_atom(IscToken& token) {
    std::size_t start = pos_ - 1;
    for (;;) {
        const char* const data = buffer_.data();
        const char* p = data + pos_;
        const char* const e = data + end_;
        while (p < e && kClass[static_cast<unsigned char>(*p)] == kWord)
            ++p;
        pos_ = static_cast<std::size_t>(p - data);
        check_word_length(pos_ - start, token.line);
        if (p < e) {
            if (kClass[static_cast<unsigned char>(*p)] == kForeign)
                fail_byte(static_cast<unsigned char>(*p));
            break;
        }
        const bool more = refill(start);
        start = 0;  // refill moved the atom to the front of the buffer
        if (!more) {
            token.last = true;
            break;
        }
    }
    token.text = std::string_view(buffer_.data() + start, pos_ - start);
}

// The opening quote is consumed. A string the input cuts becomes a token of kind end, reported
// by the caller, which knows what was cut off.
void IscLexer::read_string(IscToken& token) {
    string_.clear();
    for (;;) {
        int c = get();
        if (c == '"') {
            token.text = string_;
            return;
        }
        if (c == '\\')
            c = read_escape();
        if (c < 0) {
            token.kind = IscToken::Kind::end;
            token.text = {};
            cut_in_string_ = true;
            return;
        }
        string_.push_back(static_cast<char>(c));
        if (string_.size() > kIscMaxToken)
            fail(token.line, "a quoted string longer than " + std::to_string(kIscMaxToken) +
                                 " bytes: not a " + kind_);
    }
}

// After a backslash in a quoted string: the byte the escape stands for, or -1 at the end of the
// input. dhcpd's read_string() (docs/sources/isc.md, "Quoted strings and escapes"): \t \r \n \b;
// \0 to \3 and exactly two more octal digits; \x and exactly two hex digits; any other byte
// stands for itself (\" \\ \4 \q). An octal or hex escape cut short by another byte is refused:
// dhcpd refuses a dhcpd.conf with one ("invalid hex digit", "invalid octal digit"), or, for \0
// or \00 followed by a byte that is not an octal digit, silently swallows the bytes after it;
// and it never writes one in dhcpd.leases.
int IscLexer::read_escape() {
    const int c = get();
    if (!((c >= '0' && c <= '3') || c == 'x')) {
        switch (c) {
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'n':
                return '\n';
            case 'b':
                return '\b';
            default:
                return c;
        }
    }
    const bool hex = c == 'x';
    char escape[4] = {'\\', static_cast<char>(c)};  // as far as read, for the message
    int value = hex ? 0 : c - '0';
    for (int i = 0; i < 2; ++i) {
        const int d = peek();
        if (d < 0)
            return -1;
        const int digit = hex ? hex_value(d) : (d >= '0' && d <= '7' ? d - '0' : -1);
        if (digit < 0) {
            const char found = static_cast<char>(d);
            fail(line_,
                 "bad escape " + std::string(escape, 2 + i) + " in a quoted string: " +
                     (hex ? "\\x takes two hex digits" : "\\0 to \\3 take three octal digits") +
                     ", found " + excerpt(std::string_view(&found, 1)));
        }
        ++pos_;
        escape[2 + i] = static_cast<char>(d);
        value = value * (hex ? 16 : 8) + digit;
    }
    return value;
}

bool parse_hex_bytes(std::string_view text, std::string& out) {
    out.clear();
    std::size_t i = 0;
    for (;;) {
        int value = 0;
        std::size_t digits = 0;
        while (i < text.size() && hex_value(text[i]) >= 0 && digits < 3) {
            value = value * 16 + hex_value(text[i]);
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 2)
            return false;
        out.push_back(static_cast<char>(value));
        if (i == text.size())
            return true;
        if (text[i] != ':')
            return false;
        ++i;
    }
}

std::optional<std::uint32_t> parse_isc_ipv4(std::string_view text) {
    std::uint32_t address = 0;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i == text.size() || text[i] != '.')
                return std::nullopt;
            ++i;
        }
        const std::size_t start = i;
        std::uint32_t value = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            value = value * 10 + static_cast<std::uint32_t>(text[i] - '0');
            if (value > 255)
                return std::nullopt;
        }
        if (i == start)
            return std::nullopt;
        address = (address << 8) | value;
    }
    if (i != text.size())
        return std::nullopt;
    return address;
}

}  // namespace fostat
