#include "sources/isc_leases.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "fostat/calendar.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "sources/isc_lexer.h"

namespace fostat {
namespace {

using Token = IscToken;
using Kind = IscToken::Kind;

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
        if (!state.binding)  // the last such record of an address is the one that may win
            table_.active_until_[address] = state.active_until.value_or(0);
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
        : lex_(in, name, "dhcpd.leases file", buffer_size), leases_(in.size()) {
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
            const auto parsed =
                token.kind == Kind::atom ? parse_isc_ipv4(token.text) : std::nullopt;
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
        ends_.clear();
        bool has_uid = false;
        bool on_expiry_or_release = false;
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
            } else if (word == "starts" || word == "tstp" || word == "cltt" || word == "tsfp" ||
                       word == "atsfp" || word == "client-hostname" || word == "set" ||
                       word == "option" || word == "bootp" || word == "reserved") {
                skip_statement();
            } else if (word == "ends") {
                read_ends();
            } else if (word == "on") {
                const Token event = need();
                on_expiry_or_release =
                    on_expiry_or_release || event.is("expiry") || event.is("release");
                if (!event.is_punct(';'))
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
        if (!lease.binding)
            lease.active_until =
                on_expiry_or_release ? std::numeric_limits<std::int64_t>::max() : ends_time();
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
        if (token.kind != Kind::atom || !parse_hex_bytes(token.text, bytes_)) {
            // dhcpd warns and loads the lease without a hardware address: one bad record must
            // not cost every other address its count (isc_samples says so on stderr).
            if (token.is_punct('{') || token.is_punct('}'))
                lex_.fail(token.line, "invalid hardware address " + describe(token));
            if (journal_.bad_hardware++ == 0) {
                journal_.first_bad_hardware_line = token.line;
                journal_.first_bad_hardware = describe(token);
            }
            hardware_.clear();
            skip_statement();
            return;
        }
        hardware_ = bytes_;
        need_semi("hardware address");
    }

    // ends <weekday> <yyyy/mm/dd> <hh:mm:ss>; | ends epoch <seconds>; | ends never;
    // Kept as written; read only for a record without a binding state (ends_time).
    void read_ends() {
        ends_line_ = lex_.line();
        for (Token t = need(); !t.is_punct(';'); t = need()) {
            if (t.kind != Kind::atom || ends_.size() > 64)
                lex_.fail(t.line, "expected the lease's end time, found " + describe(t));
            ends_.append(t.text).push_back(' ');
        }
    }

    // The record's `ends` in UTC seconds: dhcpd's date forms; 0 without one.
    std::int64_t ends_time() const {
        if (ends_.empty())
            return 0;
        if (ends_ == "never ")
            return std::numeric_limits<std::int64_t>::max();
        std::int64_t seconds = 0;
        char end = 0;
        const int epoch = std::sscanf(ends_.c_str(), "epoch %" SCNd64 " %c", &seconds, &end);
        if (epoch == 1)
            return seconds;
        int weekday = 0;
        long long year = 0;
        CivilTime t;
        if (std::sscanf(ends_.c_str(), "%d %lld/%u/%u %u:%u:%u %c", &weekday, &year, &t.date.month,
                        &t.date.day, &t.hour, &t.minute, &t.second, &end) != 7)
            lex_.fail(ends_line_, "invalid end time '" + ends_ + "' in lease record");
        t.date.year = year;
        if (year < -9999 || year > 9999 || !is_valid_date(t.date) || t.hour > 23 || t.minute > 59 ||
            t.second > 59)
            lex_.fail(ends_line_, "invalid end time '" + ends_ + "' in lease record");
        return seconds_from_civil(t);
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

    IscLexer lex_;
    LeaseJournal journal_;
    LeaseTableBuilder leases_;
    std::string record_;  // what is being read, for the truncation message
    std::uint64_t record_line_ = 0;
    // The current lease record's hardware address and uid bytes, and a scratch for parsing.
    std::string hardware_;
    std::string uid_;
    std::string bytes_;
    // The current record's `ends` as written, its words each followed by a space.
    std::string ends_;
    std::uint64_t ends_line_ = 0;
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
    if (r.binding != kNoBinding) {
        state.binding = static_cast<BindingState>(r.binding);
    } else {
        const auto until = active_until_.find(r.address);
        state.active_until = until == active_until_.end() ? 0 : until->second;
    }
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
