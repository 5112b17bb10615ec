// ISC dhcpd's lease journal, dhcpd.leases(5): the final state of every address and of every
// failover peer, read as a stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/byte_source.h"

namespace fostat {

// The binding states dhcpd 4.4 keeps. The journal words "reserved" and "bootp" are read as
// active, as dhcpd itself does (they only set a flag on an active lease; see
// LeaseState::bootp).
enum class BindingState : std::uint8_t {
    free,
    active,
    expired,
    released,
    abandoned,
    reset,
    backup
};

std::string_view to_string(BindingState state);

// What the last `lease` record of one address says. The byte fields view storage that the
// LeaseTable holding this state owns.
struct LeaseState {
    // Absent when the record has no `binding state` statement (journals of dhcpd 2).
    std::optional<BindingState> binding;
    // ARP hardware type (1 ethernet, 6 token-ring, 8 fddi, 32 infiniband); 0 without a
    // `hardware` statement.
    std::uint8_t hardware_type = 0;
    // A BOOTP lease: `binding state bootp` (older journals) or `dynamic-bootp;`. dhcpd keeps
    // it active with a flag; fostat counts it apart in the binding-state breakdown.
    bool bootp = false;
    // For a record without `binding state`: until when dhcpd takes it as active (its `ends`,
    // or for ever with an `on expiry` or `on release` statement), after which it is free;
    // 0 for a record with neither. Nullopt for a record with a binding state.
    std::optional<std::int64_t> active_until;
    std::string_view hardware;            // the hardware address bytes
    std::optional<std::string_view> uid;  // the client identifier bytes, unescaped as dhcpd does
    std::uint64_t line = 0;               // where the winning record starts
};

// The final state of every address of a journal, sorted by address: one flat array of small
// records rather than a node per address (docs/sources/isc.md, "Speed"). Its elements are
// made on access; their byte fields view bytes the table holds, valid while it lives.
class LeaseTable {
  public:
    using value_type = std::pair<std::uint32_t, LeaseState>;  // address in host order, state

  private:
    struct Record;

  public:
    class const_iterator {
      public:
        using iterator_category = std::input_iterator_tag;  // elements are made on access
        using value_type = LeaseTable::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = value_type;

        // What `it->second` reads: the element, made on access.
        struct Arrow {
            value_type element;
            const value_type* operator->() const { return &element; }
        };

        const_iterator() = default;
        value_type operator*() const { return table_->element(*record_); }
        Arrow operator->() const { return {**this}; }
        const_iterator& operator++() {
            ++record_;
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++record_;
            return old;
        }
        bool operator==(const const_iterator& other) const { return record_ == other.record_; }

      private:
        friend class LeaseTable;
        const_iterator(const LeaseTable* table, const Record* record)
            : table_(table), record_(record) {}
        const LeaseTable* table_ = nullptr;
        const Record* record_ = nullptr;
    };

    const_iterator begin() const { return {this, records_.data()}; }
    const_iterator end() const { return {this, records_.data() + records_.size()}; }
    std::size_t size() const { return records_.size(); }
    bool empty() const { return records_.empty(); }
    // The first element whose address is `address` or above.
    const_iterator lower_bound(std::uint32_t address) const;
    // The element of `address`, or end().
    const_iterator find(std::uint32_t address) const;
    // Throws std::out_of_range when the journal has no record of `address`.
    LeaseState at(std::uint32_t address) const;

  private:
    friend class LeaseTableBuilder;

    // One lease record, 32 bytes.
    struct Record {
        std::uint32_t address = 0;
        // While the journal is read: which record came later, for two of one address.
        std::uint32_t order = 0;
        std::uint64_t line = 0;
        std::uint32_t bytes = 0;  // where its hardware and then its uid bytes start in bytes_
        std::uint32_t uid_size = 0;
        std::uint16_t hardware_size = 0;
        std::uint8_t binding = 0;  // BindingState, or kNoBinding
        std::uint8_t hardware_type = 0;
        std::uint8_t flags = 0;  // kBootp, kHasUid
    };
    static constexpr std::uint8_t kNoBinding = 0xff;
    static constexpr std::uint8_t kBootp = 1;
    static constexpr std::uint8_t kHasUid = 2;

    value_type element(const Record& r) const;

    std::vector<Record> records_;  // sorted by address, one per address
    std::vector<char> bytes_;      // the hardware and uid bytes of the records
    // LeaseState::active_until of the addresses whose last record had no binding state (rare:
    // journals of dhcpd 2 and hand-written ones), kept apart so that Record stays 32 bytes.
    std::map<std::uint32_t, std::int64_t> active_until_;
};

// The last known failover states of one peer; a record that leaves a state out keeps the
// previous one, as dhcpd does. Words as written: "normal", "recover-done", ...
struct PeerState {
    std::string my_state;
    std::string partner_state;
    std::uint64_t line = 0;  // where the peer's last state record starts
};

struct LeaseJournal {
    std::string name;  // how messages name the journal
    LeaseTable leases;
    std::map<std::string, PeerState> peers;  // key: the failover peer's name
    std::uint64_t lease_records = 0;
    std::uint64_t peer_records = 0;
    // Statements this reader does not know, skipped (inside lease records and at top level).
    std::uint64_t unknown_statements = 0;
    // Lease records whose hardware address cannot be read ("be:ef:00:00:co:de"): dhcpd warns and
    // loads the lease without one, and so does this reader. How many, and the first.
    std::uint64_t bad_hardware = 0;
    std::uint64_t first_bad_hardware_line = 0;
    std::string first_bad_hardware;
};

// How much of the journal is read at a time.
inline constexpr std::size_t kLeaseReadBuffer = 256 * 1024;

// Reads the whole journal; memory grows with the number of distinct addresses (32 bytes and
// the hardware and uid bytes of each, twice that while reading, and at least 32 MiB for a
// journal of a million records or more), not with the length of the file. `name` is how errors name
// the input. Throws InputError "name:line: ..." for a record cut off at the end of input,
// unbalanced braces, an invalid address, a binding or failover state dhcpd would not accept, or
// bytes that cannot be a journal. `buffer_size` (at least 1) is how many bytes are read at a time;
// the result does not depend on it (tests make it small, so that tokens straddle refills).
LeaseJournal parse_leases(ByteSource& in, const std::string& name,
                          std::size_t buffer_size = kLeaseReadBuffer);

}  // namespace fostat
