#include "sources/isc_leases.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "fostat/error.h"
#include "fostat/ipv4.h"

namespace fostat {
namespace {

// No statement of a journal comes near this; a longer token means this is not a journal.
constexpr std::size_t kMaxToken = 64 * 1024;

enum class Kind { end, atom, string, punct };

struct Token {
    Kind kind = Kind::end;
    // The atom, the unescaped string bytes, or the punctuation character. Valid until the
    // lexer is called again.
    std::string_view text;
    std::uint64_t line = 0;
    // An atom or string that no byte follows: inside a record, one that was cut short.
    bool last = false;

    bool is(std::string_view atom) const { return kind == Kind::atom && text == atom; }
    bool is_punct(char c) const { return kind == Kind::punct && text.size() == 1 && text[0] == c; }
};

// What a byte can be outside a quoted string (dhcpd's conflex.c).
enum ByteClass : std::uint8_t {
    kWord,     // part of an atom
    kSpace,    // white space other than a newline
    kNewline,  // '\n'
    kPunct,    // { } ; = ,
    kQuote,    // '"'
    kHash,     // '#': a comment to the end of the line
    kForeign,  // never outside a quoted string of a journal dhcpd wrote
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

// Splits dhcpd's lexical conventions (conflex.c) off the parser: atoms, quoted strings with
// dhcpd's escapes, the punctuation that structures statements, and '#' comments. Reads through
// one buffer: an atom is a view of it (moved to its front when a refill would cut it), a
// quoted string is unescaped into a buffer of its own, and skip_statement() passes over a
// statement byte by byte without making tokens (docs/sources/isc.md, "Speed").
class Lexer {
  public:
    Lexer(ByteSource& in, const std::string& name, std::size_t buffer_size)
        : in_(in), name_(name), buffer_(std::max<std::size_t>(buffer_size, 1)) {}

    [[noreturn]] void fail(std::uint64_t line, const std::string& message) const {
        throw InputError(at_line(name_, line, message));
    }
    std::uint64_t line() const { return line_; }
    // True when the input ended inside a quoted string.
    bool cut_in_string() const { return cut_in_string_; }

    // Returns a token of kind end at the end of input.
    Token next() {
        Token token;
        int c = skip_blank();
        token.line = line_;
        if (c < 0)
            return token;
        const std::uint8_t k = kClass[static_cast<unsigned char>(c)];
        if (k == kQuote) {
            token.kind = Kind::string;
            read_string(token);
            if (token.kind == Kind::string)
                token.last = !more();
        } else if (k == kPunct) {
            token.kind = Kind::punct;
            token.text = std::string_view(&buffer_[pos_ - 1], 1);
        } else {
            token.kind = Kind::atom;
            read_atom(token);
        }
        return token;
    }

    // Passes over the rest of a statement: up to its ';', or over its `{ ... }` block, exactly
    // as reading it token by token would, errors included. Returns false when the input ends
    // first (the caller reports the truncated record).
    bool skip_statement() {
        int depth = 0;
        for (;;) {
            if (pos_ == end_ && !refill(pos_))
                return false;
            const char* p = buffer_.data() + pos_;
            const char* const e = buffer_.data() + end_;
            // Words and blanks need no decision: pass over them in the buffer.
            bool word_at_end = false;
            std::uint8_t k = kWord;
            while (p < e) {
                k = kClass[static_cast<unsigned char>(*p)];
                if (k == kSpace) {
                    ++p;
                } else if (k == kNewline) {
                    ++line_;
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
            pos_ = static_cast<std::size_t>(p - buffer_.data());
            if (word_at_end) {
                // A word the end of the buffer cuts: read it as a token, which keeps it whole.
                Token word;
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
                    Token string;
                    string.kind = Kind::string;
                    string.line = line_;
                    read_string(string);
                    if (string.kind == Kind::end)
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
                    fail(line_, "unexpected byte " + byte_name(c) + ": not a dhcpd.leases file");
            }
        }
    }

  private:
    static std::string byte_name(int c) {
        static constexpr char kHex[] = "0123456789abcdef";
        return std::string("0x") + kHex[(c >> 4) & 15] + kHex[c & 15];
    }

    void check_word_length(std::size_t length, std::uint64_t line) const {
        if (length > kMaxToken)
            fail(line, "a word longer than " + std::to_string(kMaxToken) +
                           " bytes: not a dhcpd.leases file");
    }

    // Moves the bytes from `keep` on to the front of the buffer (growing it when they fill it)
    // and reads more after them. Returns false at the end of input (the bytes are moved all
    // the same).
    bool refill(std::size_t keep) {
        if (keep > 0) {
            std::memmove(buffer_.data(), buffer_.data() + keep, end_ - keep);
            pos_ -= keep;
            end_ -= keep;
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

    // True when a byte is left (reading more if need be).
    bool more() { return pos_ < end_ || refill(pos_); }

    int get() {
        if (pos_ == end_ && !refill(pos_))
            return -1;
        const int c = static_cast<unsigned char>(buffer_[pos_++]);
        if (c == '\n')
            ++line_;
        return c;
    }

    int peek() {
        if (pos_ == end_ && !refill(pos_))
            return -1;
        return static_cast<unsigned char>(buffer_[pos_]);
    }

    // After '#': up to the newline, which is left for the caller.
    void skip_comment() {
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

    // Skips white space and comments; returns the first byte of the next token, consumed.
    int skip_blank() {
        for (;;) {
            while (pos_ < end_) {
                const int c = static_cast<unsigned char>(buffer_[pos_++]);
                switch (kClass[static_cast<std::size_t>(c)]) {
                    case kSpace:
                        continue;
                    case kNewline:
                        ++line_;
                        continue;
                    case kHash:
                        skip_comment();
                        continue;
                    case kForeign:
                        fail(line_,
                             "unexpected byte " + byte_name(c) + ": not a dhcpd.leases file");
                    default:
                        return c;
                }
            }
            if (!refill(pos_))
                return -1;
        }
    }

    // The atom's first byte, at pos_ - 1, is consumed. Its text is a view of the buffer.
    void read_atom(Token& token) {
        std::size_t start = pos_ - 1;
        for (;;) {
            while (pos_ < end_ && kClass[static_cast<unsigned char>(buffer_[pos_])] == kWord)
                ++pos_;
            check_word_length(pos_ - start, token.line);
            if (pos_ < end_)
                break;
            const bool more = refill(start);
            start = 0;  // refill moved the atom to the front of the buffer
            if (!more) {
                token.last = true;
                break;
            }
        }
        if (pos_ < end_ && kClass[static_cast<unsigned char>(buffer_[pos_])] == kForeign) {
            fail(line_, "unexpected byte " + byte_name(static_cast<unsigned char>(buffer_[pos_])) +
                            ": not a dhcpd.leases file");
        }
        token.text = std::string_view(buffer_.data() + start, pos_ - start);
    }

    // The opening quote is consumed. dhcpd's escapes: \t \r \n \b, \ooo (one to three octal
    // digits), \xHH (one or two hex digits); a backslash before any other byte keeps that byte.
    void read_string(Token& token) {
        string_.clear();
        for (;;) {
            int c = get();
            if (c < 0) {
                // Reported by the parser, which knows which record was cut off.
                token.kind = Kind::end;
                token.text = {};
                cut_in_string_ = true;
                return;
            }
            if (c == '"') {
                token.text = string_;
                return;
            }
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
            string_.push_back(static_cast<char>(c));
            if (string_.size() > kMaxToken)
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
    std::string string_;  // the last quoted string, unescaped
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

// "00:0c:3:ff" → bytes in `out`; one or two hex digits per byte, as dhcpd's
// parse_numeric_aggregate. False when the text is not that.
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

}  // namespace

// Gathers the lease records of a journal in the order read, and keeps the last of each
// address by sorting them by address (docs/sources/isc.md, "Speed"). So that memory follows
// the number of addresses rather than the length of the journal, the records gathered so far
// are merged that way whenever they reach twice what the last merge kept (and at least
// kMinBatch).
class LeaseTableBuilder {
  public:
    // `input_size`, when known, bounds the number of records (the shortest, "lease 1.2.3.4{}",
    // has 15 bytes): room for them is made at once, up to a batch.
    explicit LeaseTableBuilder(std::optional<std::uint64_t> input_size) {
        if (input_size)
            records_.reserve(
                static_cast<std::size_t>(std::min<std::uint64_t>(kMinBatch, *input_size / 15 + 1)));
    }

    // `state`'s byte fields are ignored: `hardware` and `uid` are copied instead.
    void add(std::uint32_t address, const LeaseState& state, std::string_view hardware,
             std::optional<std::string_view> uid) {
        const std::size_t size = hardware.size() + (uid ? uid->size() : 0);
        if (records_.size() >= batch_ || next_order_ == UINT32_MAX ||
            table_.bytes_.size() + size > kMaxBytes)
            merge();
        if (table_.bytes_.size() + size > kMaxBytes)
            throw InputError(
                "more than 4 GiB of hardware addresses and client identifiers: "
                "not a dhcpd.leases file");
        Record r;
        r.address = address;
        r.order = next_order_++;
        r.line = state.line;
        r.bytes = static_cast<std::uint32_t>(table_.bytes_.size());
        r.hardware_size = static_cast<std::uint16_t>(hardware.size());
        r.binding =
            state.binding ? static_cast<std::uint8_t>(*state.binding) : LeaseTable::kNoBinding;
        r.hardware_type = state.hardware_type;
        r.flags = state.bootp ? LeaseTable::kBootp : 0;
        if (uid) {
            r.flags |= LeaseTable::kHasUid;
            r.uid_size = static_cast<std::uint32_t>(uid->size());
        }
        table_.bytes_.insert(table_.bytes_.end(), hardware.begin(), hardware.end());
        if (uid)
            table_.bytes_.insert(table_.bytes_.end(), uid->begin(), uid->end());
        records_.push_back(r);
    }

    LeaseTable finish() {
        merge();
        table_.records_ = std::move(records_);
        return std::move(table_);
    }

  private:
    using Record = LeaseTable::Record;
    static constexpr std::size_t kMinBatch = 1 << 20;     // records: 32 MiB
    static constexpr std::size_t kMaxBytes = UINT32_MAX;  // Record::bytes has 32 bits

    // Sorts the records by address, keeps the last of each, and drops the bytes of the others.
    void merge() {
        std::sort(records_.begin(), records_.end(), [](const Record& x, const Record& y) {
            return x.address != y.address ? x.address < y.address : x.order < y.order;
        });
        std::size_t kept = 0;
        for (std::size_t i = 0; i < records_.size(); ++i) {
            if (i + 1 < records_.size() && records_[i + 1].address == records_[i].address)
                continue;
            records_[kept++] = records_[i];
        }
        records_.resize(kept);
        std::size_t live = 0;
        for (const Record& r : records_)
            live += r.hardware_size + std::size_t{r.uid_size};
        std::vector<char> bytes;
        bytes.reserve(live);
        for (Record& r : records_) {
            const std::size_t size = r.hardware_size + std::size_t{r.uid_size};
            const std::size_t at = bytes.size();
            bytes.insert(bytes.end(), table_.bytes_.begin() + r.bytes,
                         table_.bytes_.begin() + r.bytes + size);
            r.bytes = static_cast<std::uint32_t>(at);
            r.order = 0;  // before every record still to come
        }
        table_.bytes_ = std::move(bytes);
        next_order_ = 1;
        batch_ = std::max(2 * kept, kMinBatch);
    }

    std::vector<Record> records_;
    LeaseTable table_;  // holds the bytes
    std::uint32_t next_order_ = 1;
    std::size_t batch_ = kMinBatch;
};

namespace {

class Parser {
  public:
    Parser(ByteSource& in, const std::string& name, std::size_t buffer_size)
        : lex_(in, name, buffer_size), leases_(in.size()) {
        journal_.name = name;
    }

    LeaseJournal run() {
        for (;;) {
            const Token token = lex_.next();
            if (token.kind == Kind::end) {
                if (lex_.cut_in_string())
                    lex_.fail(token.line,
                              "a quoted string is not closed before the end of the input");
                journal_.leases = leases_.finish();
                return std::move(journal_);
            }
            record_line_ = token.line;
            if (token.is("lease")) {
                record_.assign("lease record");
                parse_lease();
            } else if (token.is("failover")) {
                record_.assign("failover peer record");
                parse_failover();
            } else if (token.is_punct('}')) {
                lex_.fail(token.line, "unbalanced '}' outside any record");
            } else if (token.kind == Kind::atom) {
                record_.assign("'").append(token.text).append("' statement");
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

    [[noreturn]] void truncated() const {
        lex_.fail(record_line_, "the " + record_ + " starting here is cut off at the end " +
                                    "of the input (line " + std::to_string(lex_.line()) +
                                    "): truncated journal");
    }

    // The next token, which must exist: the end of input here means a record was cut off.
    Token need() {
        Token token = lex_.next();
        // Inside a record, a word or string is always followed by at least ';' or '}': one
        // that ends the input was cut short ("binding state fr"), so it is not judged as a word.
        if (token.kind == Kind::end || token.last)
            truncated();
        return token;
    }

    void need_word(std::string_view word) {
        const Token token = need();
        if (!token.is(word))
            lex_.fail(token.line, "expected '" + std::string(word) + "', found " + describe(token));
    }

    // `after` and `what` name what the ';' ends: "expected ';' after <after><what>".
    void need_semi(std::string_view after, std::string_view what = {}) {
        const Token token = need();
        if (!token.is_punct(';')) {
            lex_.fail(token.line, "expected ';' after " + std::string(after) + std::string(what) +
                                      ", found " + describe(token));
        }
    }

    // Skips the rest of a statement: up to its ';', or over its `{ ... }` block.
    void skip_statement() {
        if (!lex_.skip_statement())
            truncated();
    }

    BindingState need_binding_state() { return binding_state_at(need()); }

    BindingState binding_state_at(const Token& token) {
        auto state = token.kind == Kind::atom ? binding_state_of(token.text) : std::nullopt;
        if (!state)
            lex_.fail(token.line, describe(token) + ": expecting a binding state");
        return *state;
    }

    void parse_lease() {
        std::uint32_t address = 0;
        {
            const Token token = need();
            const auto parsed = token.kind == Kind::atom ? parse_ipv4(token.text) : std::nullopt;
            if (!parsed) {
                lex_.fail(token.line, "invalid IPv4 address in lease record: " + describe(token));
            }
            address = *parsed;
            record_.assign("lease record for ").append(token.text);
        }
        const Token open = need();
        if (!open.is_punct('{'))
            lex_.fail(open.line, "expected '{' after the lease address, found " + describe(open));

        LeaseState lease;
        lease.line = record_line_;
        hardware_.clear();
        bool has_uid = false;
        for (;;) {
            const Token token = need();
            if (token.is_punct('}'))
                break;
            if (token.kind != Kind::atom)
                lex_.fail(token.line, "expected a lease statement, found " + describe(token));
            const std::string_view word = token.text;
            // Ordered by how often dhcpd writes them; every word is compared before the next
            // token replaces it.
            if (word == "binding") {
                need_word("state");
                const Token state = need();
                lease.binding = binding_state_at(state);
                lease.bootp = lease.bootp || state.is("bootp");  // as dhcpd's BOOTP_LEASE flag
                need_semi("binding state");
            } else if (word == "starts" || word == "ends" || word == "tstp" || word == "cltt" ||
                       word == "tsfp" || word == "atsfp" || word == "client-hostname" ||
                       word == "set" || word == "on" || word == "option" || word == "bootp" ||
                       word == "reserved") {
                skip_statement();
            } else if (word == "next" || word == "rewind") {
                const std::string_view which = word == "next" ? "next" : "rewind";
                need_word("binding");
                need_word("state");
                need_binding_state();
                need_semi(which, " binding state");
            } else if (word == "hardware") {
                parse_hardware(lease);
            } else if (word == "uid") {
                parse_uid();
                has_uid = true;
            } else if (word == "abandoned") {
                lease.binding = BindingState::abandoned;
                need_semi("abandoned");
            } else if (word == "dynamic-bootp") {
                lease.bootp = true;
                need_semi("dynamic-bootp");
            } else {
                ++journal_.unknown_statements;
                skip_statement();
            }
        }
        ++journal_.lease_records;
        // The last record of an address wins.
        leases_.add(address, lease, hardware_,
                    has_uid ? std::optional<std::string_view>(uid_) : std::nullopt);
    }

    void parse_hardware(LeaseState& lease) {
        {
            const Token type = need();
            if (type.kind != Kind::atom)
                lex_.fail(type.line, "expected a hardware type, found " + describe(type));
            if (type.text == "ethernet")
                lease.hardware_type = 1;
            else if (type.text == "token-ring")
                lease.hardware_type = 6;
            else if (type.text == "fddi")
                lease.hardware_type = 8;
            else if (type.text == "infiniband")
                lease.hardware_type = 32;
            else
                lease_fail("expecting a network hardware type, found " + excerpt(type.text));
        }
        const Token token = need();
        if (token.is_punct(';')) {
            hardware_.clear();
            return;
        }
        if (token.kind != Kind::atom || !parse_hex_bytes(token.text, bytes_))
            lex_.fail(token.line, "invalid hardware address " + describe(token));
        hardware_ = bytes_;
        need_semi("hardware address");
    }

    void parse_uid() {
        const Token token = need();
        if (token.kind == Kind::string) {
            uid_.assign(token.text);
        } else {
            if (token.kind != Kind::atom || !parse_hex_bytes(token.text, bytes_))
                lex_.fail(token.line, "invalid uid " + describe(token));
            uid_ = bytes_;
        }
        need_semi("uid");
    }

    [[noreturn]] void lease_fail(const std::string& message) { lex_.fail(lex_.line(), message); }

    void parse_failover() {
        need_word("peer");
        std::string name;
        {
            const Token token = need();
            if (token.kind != Kind::string && token.kind != Kind::atom)
                lex_.fail(token.line,
                          "expected the failover peer's name, found " + describe(token));
            name.assign(token.text);
        }
        record_ = "failover peer \"" + name + "\" record";
        need_word("state");
        const Token open = need();
        if (!open.is_punct('{'))
            lex_.fail(open.line, "expected '{' after failover peer state, found " + describe(open));
        PeerState& peer = journal_.peers[name];
        peer.line = record_line_;
        for (;;) {
            const Token token = need();
            if (token.is_punct('}'))
                break;
            if (token.is("my") || token.is("partner")) {
                std::string& field = token.is("my") ? peer.my_state : peer.partner_state;
                need_word("state");
                {
                    const Token state = need();
                    if (state.kind != Kind::atom)
                        lex_.fail(state.line,
                                  "expected a failover state, found " + describe(state));
                    if (!is_failover_state(state.text))
                        lex_.fail(lex_.line(), "unknown failover state " + excerpt(state.text));
                    field.assign(state.text);
                }
                const Token rest = need();  // ";" or "at <date>;"
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
    LeaseTableBuilder leases_;
    std::string record_;  // what is being read, for the truncation message
    std::uint64_t record_line_ = 0;
    // The current lease record's hardware address and uid bytes, and a scratch for parsing.
    std::string hardware_;
    std::string uid_;
    std::string bytes_;
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

LeaseTable::value_type LeaseTable::element(const Record& r) const {
    LeaseState state;
    if (r.binding != kNoBinding)
        state.binding = static_cast<BindingState>(r.binding);
    state.hardware_type = r.hardware_type;
    state.bootp = (r.flags & kBootp) != 0;
    const char* bytes = bytes_.data() + r.bytes;
    state.hardware = std::string_view(bytes, r.hardware_size);
    if (r.flags & kHasUid)
        state.uid = std::string_view(bytes + r.hardware_size, r.uid_size);
    state.line = r.line;
    return {r.address, state};
}

LeaseTable::const_iterator LeaseTable::lower_bound(std::uint32_t address) const {
    const auto it =
        std::lower_bound(records_.begin(), records_.end(), address,
                         [](const Record& r, std::uint32_t a) { return r.address < a; });
    return {this, records_.data() + (it - records_.begin())};
}

LeaseTable::const_iterator LeaseTable::find(std::uint32_t address) const {
    const auto it = lower_bound(address);
    return it != end() && it.record_->address == address ? it : end();
}

LeaseState LeaseTable::at(std::uint32_t address) const {
    const auto it = find(address);
    if (it == end())
        throw std::out_of_range("no lease record of this address");
    return it->second;
}

LeaseJournal parse_leases(ByteSource& in, const std::string& name, std::size_t buffer_size) {
    return Parser(in, name, buffer_size).run();
}

}  // namespace fostat
