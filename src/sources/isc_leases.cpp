#include "sources/isc_leases.h"

#include <array>
#include <vector>

#include "fostat/error.h"
#include "ipv4.h"

namespace fostat {
namespace {

constexpr std::size_t kBlock = 64 * 1024;
// No statement of a journal comes near this; a longer token means this is not a journal.
constexpr std::size_t kMaxToken = 64 * 1024;

enum class Kind { end, atom, string, punct };

struct Token {
    Kind kind = Kind::end;
    std::string text;  // the atom, the unescaped string bytes, or the punctuation character
    std::uint64_t line = 0;

    bool is(std::string_view atom) const { return kind == Kind::atom && text == atom; }
    bool is_punct(char c) const { return kind == Kind::punct && text.size() == 1 && text[0] == c; }
};

bool is_punct_char(int c) {
    return c == '{' || c == '}' || c == ';' || c == '=' || c == ',';
}

bool is_space(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Bytes that never occur outside a quoted string of a journal dhcpd wrote.
bool is_foreign(int c) {
    return (c < 0x20 && !is_space(c)) || c >= 0x7f;
}

int hex_value(int c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Splits dhcpd's lexical conventions (conflex.c) off the parser: atoms, quoted strings with
// dhcpd's escapes, the punctuation that structures statements, and '#' comments.
class Lexer {
  public:
    Lexer(ByteSource& in, const std::string& name) : in_(in), name_(name), buffer_(kBlock) {}

    [[noreturn]] void fail(std::uint64_t line, const std::string& message) const {
        throw InputError(at_line(name_, line, message));
    }
    std::uint64_t line() const { return line_; }
    // True when the input ended inside a quoted string.
    bool cut_in_string() const { return cut_in_string_; }
    // True when no byte is left.
    bool at_end() { return peek() < 0; }

    // Returns a token of kind end at the end of input.
    Token next() {
        Token token;
        int c = skip_blank();
        token.line = line_;
        if (c < 0)
            return token;
        if (c == '"') {
            token.kind = Kind::string;
            read_string(token);
        } else if (is_punct_char(c)) {
            token.kind = Kind::punct;
            token.text.assign(1, static_cast<char>(c));
        } else {
            token.kind = Kind::atom;
            token.text.push_back(static_cast<char>(c));
            for (;;) {
                int d = peek();
                if (d < 0 || is_space(d) || is_punct_char(d) || d == '"' || d == '#')
                    break;
                if (is_foreign(d))
                    fail(line_, "unexpected byte " + byte_name(d) + ": not a dhcpd.leases file");
                token.text.push_back(static_cast<char>(get()));
                if (token.text.size() > kMaxToken)
                    fail(token.line, "a word longer than " + std::to_string(kMaxToken) +
                                         " bytes: not a dhcpd.leases file");
            }
        }
        return token;
    }

  private:
    static std::string byte_name(int c) {
        static constexpr char kHex[] = "0123456789abcdef";
        return std::string("0x") + kHex[(c >> 4) & 15] + kHex[c & 15];
    }

    int peek() {
        if (pos_ == end_) {
            if (eof_)
                return -1;
            end_ = in_.read(buffer_.data(), buffer_.size());
            pos_ = 0;
            if (end_ == 0) {
                eof_ = true;
                return -1;
            }
        }
        return static_cast<unsigned char>(buffer_[pos_]);
    }

    int get() {
        int c = peek();
        if (c >= 0) {
            ++pos_;
            if (c == '\n')
                ++line_;
        }
        return c;
    }

    // Skips white space and comments; returns the first byte of the next token, consumed.
    int skip_blank() {
        for (;;) {
            int c = get();
            if (c < 0)
                return c;
            if (c == '#') {
                while ((c = peek()) >= 0 && c != '\n')
                    get();
                continue;
            }
            if (is_space(c))
                continue;
            if (is_foreign(c))
                fail(line_, "unexpected byte " + byte_name(c) + ": not a dhcpd.leases file");
            return c;
        }
    }

    // The opening quote is consumed. dhcpd's escapes: \t \r \n \b, \ooo (one to three octal
    // digits), \xHH (one or two hex digits); a backslash before any other byte keeps that byte.
    void read_string(Token& token) {
        for (;;) {
            int c = get();
            if (c < 0) {
                // Reported by the parser, which knows which record was cut off.
                token = Token{Kind::end, {}, token.line};
                cut_in_string_ = true;
                return;
            }
            if (c == '"')
                return;
            if (c == '\\') {
                if (peek() < 0)
                    continue;  // the end of input, reported above
                c = get();
                if (c >= '0' && c <= '7') {
                    int value = c - '0';
                    for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; ++i)
                        value = value * 8 + (get() - '0');
                    if (value > 255)
                        fail(line_, "octal escape above \\377 in a quoted string");
                    c = value;
                } else if (c == 'x') {
                    int value = -1;
                    for (int i = 0; i < 2 && hex_value(peek()) >= 0; ++i)
                        value = (value < 0 ? 0 : value * 16) + hex_value(get());
                    if (value < 0)
                        fail(line_, "\\x without hex digits in a quoted string");
                    c = value;
                } else if (c == 't') {
                    c = '\t';
                } else if (c == 'r') {
                    c = '\r';
                } else if (c == 'n') {
                    c = '\n';
                } else if (c == 'b') {
                    c = '\b';
                }
            }
            token.text.push_back(static_cast<char>(c));
            if (token.text.size() > kMaxToken)
                fail(token.line, "a quoted string longer than " + std::to_string(kMaxToken) +
                                     " bytes: not a dhcpd.leases file");
        }
    }

    ByteSource& in_;
    const std::string& name_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    std::uint64_t line_ = 1;
    bool cut_in_string_ = false;
};

std::optional<BindingState> binding_state_of(std::string_view word) {
    if (word == "free")
        return BindingState::free;
    if (word == "active" || word == "reserved" || word == "bootp")
        return BindingState::active;
    if (word == "expired")
        return BindingState::expired;
    if (word == "released")
        return BindingState::released;
    if (word == "abandoned")
        return BindingState::abandoned;
    if (word == "reset")
        return BindingState::reset;
    if (word == "backup")
        return BindingState::backup;
    return std::nullopt;
}

// The words dhcpd's parse_failover_state() accepts.
bool is_failover_state(std::string_view word) {
    static constexpr std::array<std::string_view, 13> kStates = {"unknown-state",
                                                                 "partner-down",
                                                                 "normal",
                                                                 "conflict-done",
                                                                 "communications-interrupted",
                                                                 "resolution-interrupted",
                                                                 "potential-conflict",
                                                                 "recover",
                                                                 "recover-done",
                                                                 "recover-wait",
                                                                 "shutdown",
                                                                 "paused",
                                                                 "startup"};
    for (auto s : kStates) {
        if (s == word)
            return true;
    }
    return false;
}

// "00:0c:3:ff" → bytes; one or two hex digits per byte, as dhcpd's parse_numeric_aggregate.
std::optional<std::string> parse_hex_bytes(std::string_view text) {
    std::string bytes;
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
            return std::nullopt;
        bytes.push_back(static_cast<char>(value));
        if (i == text.size())
            return bytes;
        if (text[i] != ':')
            return std::nullopt;
        ++i;
    }
}

class Parser {
  public:
    Parser(ByteSource& in, const std::string& name) : lex_(in, name) { journal_.name = name; }

    LeaseJournal run() {
        for (;;) {
            Token token = lex_.next();
            if (token.kind == Kind::end) {
                if (lex_.cut_in_string())
                    lex_.fail(token.line,
                              "a quoted string is not closed before the end of the input");
                return std::move(journal_);
            }
            record_line_ = token.line;
            if (token.is("lease")) {
                record_ = "lease record";
                parse_lease();
            } else if (token.is("failover")) {
                record_ = "failover peer record";
                parse_failover();
            } else if (token.is_punct('}')) {
                lex_.fail(token.line, "unbalanced '}' outside any record");
            } else if (token.kind == Kind::atom) {
                record_ = "'" + token.text + "' statement";
                if (!token.is("server-duid") && !token.is("authoring-byte-order"))
                    ++journal_.unknown_statements;
                skip_statement();
            } else {
                lex_.fail(token.line, "expected a record, found " + describe(token));
            }
        }
    }

  private:
    static std::string describe(const Token& token) {
        switch (token.kind) {
            case Kind::end:
                return "the end of the input";
            case Kind::string:
                return "a quoted string";
            default:
                return excerpt(token.text);
        }
    }

    // The next token, which must exist: the end of input here means a record was cut off.
    Token need() {
        Token token = lex_.next();
        // Inside a record, a word or string is always followed by at least ';' or '}': one
        // that ends the input was cut short ("binding state fr"), so it is not judged as a word.
        if (token.kind == Kind::end ||
            ((token.kind == Kind::atom || token.kind == Kind::string) && lex_.at_end())) {
            lex_.fail(record_line_, "the " + record_ + " starting here is cut off at the end " +
                                        "of the input (line " + std::to_string(lex_.line()) +
                                        "): truncated journal");
        }
        return token;
    }

    std::string need_atom(const std::string& what) {
        Token token = need();
        if (token.kind != Kind::atom)
            lex_.fail(token.line, "expected " + what + ", found " + describe(token));
        return token.text;
    }

    void need_word(std::string_view word) {
        Token token = need();
        if (!token.is(word))
            lex_.fail(token.line, "expected '" + std::string(word) + "', found " + describe(token));
    }

    void need_semi(const std::string& after) {
        Token token = need();
        if (!token.is_punct(';'))
            lex_.fail(token.line, "expected ';' after " + after + ", found " + describe(token));
    }

    // After `{`: skips to the matching `}`.
    void skip_block() {
        for (int depth = 1; depth > 0;) {
            Token token = need();
            if (token.is_punct('{'))
                ++depth;
            else if (token.is_punct('}'))
                --depth;
        }
    }

    // Skips the rest of a statement: up to its ';', or over its `{ ... }` block.
    void skip_statement() {
        for (;;) {
            Token token = need();
            if (token.is_punct(';'))
                return;
            if (token.is_punct('{')) {
                skip_block();
                return;
            }
            if (token.is_punct('}'))
                lex_.fail(token.line, "unbalanced '}': expected ';' to end the statement");
        }
    }

    BindingState need_binding_state() { return binding_state_at(need()); }

    BindingState binding_state_at(const Token& token) {
        auto state = token.kind == Kind::atom ? binding_state_of(token.text) : std::nullopt;
        if (!state)
            lex_.fail(token.line, describe(token) + ": expecting a binding state");
        return *state;
    }

    void parse_lease() {
        Token address_token = need();
        auto address =
            address_token.kind == Kind::atom ? parse_ipv4(address_token.text) : std::nullopt;
        if (!address) {
            lex_.fail(address_token.line,
                      "invalid IPv4 address in lease record: " + describe(address_token));
        }
        record_ = "lease record for " + address_token.text;
        Token open = need();
        if (!open.is_punct('{'))
            lex_.fail(open.line, "expected '{' after the lease address, found " + describe(open));

        LeaseState lease;
        lease.line = record_line_;
        for (;;) {
            Token token = need();
            if (token.is_punct('}'))
                break;
            if (token.kind != Kind::atom)
                lex_.fail(token.line, "expected a lease statement, found " + describe(token));
            const std::string& word = token.text;
            if (word == "binding") {
                need_word("state");
                const Token state = need();
                lease.binding = binding_state_at(state);
                lease.bootp = lease.bootp || state.is("bootp");  // as dhcpd's BOOTP_LEASE flag
                need_semi("binding state");
            } else if (word == "next" || word == "rewind") {
                need_word("binding");
                need_word("state");
                need_binding_state();
                need_semi(word + " binding state");
            } else if (word == "abandoned") {
                lease.binding = BindingState::abandoned;
                need_semi("abandoned");
            } else if (word == "dynamic-bootp") {
                lease.bootp = true;
                need_semi("dynamic-bootp");
            } else if (word == "hardware") {
                parse_hardware(lease);
            } else if (word == "uid") {
                parse_uid(lease);
            } else if (word == "starts" || word == "ends" || word == "tstp" || word == "tsfp" ||
                       word == "atsfp" || word == "cltt" || word == "client-hostname" ||
                       word == "set" || word == "on" || word == "option" || word == "bootp" ||
                       word == "reserved") {
                skip_statement();
            } else {
                ++journal_.unknown_statements;
                skip_statement();
            }
        }
        ++journal_.lease_records;
        journal_.leases[*address] = std::move(lease);  // the last record of an address wins
    }

    void parse_hardware(LeaseState& lease) {
        std::string type = need_atom("a hardware type");
        if (type == "ethernet")
            lease.hardware_type = 1;
        else if (type == "token-ring")
            lease.hardware_type = 6;
        else if (type == "fddi")
            lease.hardware_type = 8;
        else if (type == "infiniband")
            lease.hardware_type = 32;
        else
            lease_fail("expecting a network hardware type, found " + excerpt(type));
        Token token = need();
        if (token.is_punct(';')) {
            lease.hardware.clear();
            return;
        }
        auto bytes = token.kind == Kind::atom ? parse_hex_bytes(token.text) : std::nullopt;
        if (!bytes)
            lex_.fail(token.line, "invalid hardware address " + describe(token));
        lease.hardware = std::move(*bytes);
        need_semi("hardware address");
    }

    void parse_uid(LeaseState& lease) {
        Token token = need();
        if (token.kind == Kind::string) {
            lease.uid = std::move(token.text);
        } else {
            auto bytes = token.kind == Kind::atom ? parse_hex_bytes(token.text) : std::nullopt;
            if (!bytes)
                lex_.fail(token.line, "invalid uid " + describe(token));
            lease.uid = std::move(*bytes);
        }
        need_semi("uid");
    }

    [[noreturn]] void lease_fail(const std::string& message) { lex_.fail(lex_.line(), message); }

    void parse_failover() {
        need_word("peer");
        Token name = need();
        if (name.kind != Kind::string && name.kind != Kind::atom)
            lex_.fail(name.line, "expected the failover peer's name, found " + describe(name));
        record_ = "failover peer \"" + name.text + "\" record";
        need_word("state");
        Token open = need();
        if (!open.is_punct('{'))
            lex_.fail(open.line, "expected '{' after failover peer state, found " + describe(open));
        PeerState& peer = journal_.peers[name.text];
        peer.line = record_line_;
        for (;;) {
            Token token = need();
            if (token.is_punct('}'))
                break;
            if (token.is("my") || token.is("partner")) {
                need_word("state");
                std::string state = need_atom("a failover state");
                if (!is_failover_state(state))
                    lex_.fail(lex_.line(), "unknown failover state " + excerpt(state));
                (token.text == "my" ? peer.my_state : peer.partner_state) = state;
                Token rest = need();  // ";" or "at <date>;"
                if (rest.is_punct('{') || rest.is_punct('}'))
                    lex_.fail(rest.line,
                              "expected ';' after the failover state, found " + describe(rest));
                if (!rest.is_punct(';'))
                    skip_statement();
            } else if (token.is("mclt")) {
                skip_statement();
            } else if (token.kind == Kind::atom) {
                ++journal_.unknown_statements;
                skip_statement();
            } else {
                lex_.fail(token.line,
                          "expected a failover state statement, found " + describe(token));
            }
        }
        ++journal_.peer_records;
    }

    Lexer lex_;
    LeaseJournal journal_;
    std::string record_;  // what is being read, for the truncation message
    std::uint64_t record_line_ = 0;
};

}  // namespace

std::string_view to_string(BindingState state) {
    switch (state) {
        case BindingState::free:
            return "free";
        case BindingState::active:
            return "active";
        case BindingState::expired:
            return "expired";
        case BindingState::released:
            return "released";
        case BindingState::abandoned:
            return "abandoned";
        case BindingState::reset:
            return "reset";
        case BindingState::backup:
            return "backup";
    }
    return "?";
}

LeaseJournal parse_leases(ByteSource& in, const std::string& name) {
    return Parser(in, name).run();
}

}  // namespace fostat
