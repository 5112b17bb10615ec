// ISC dhcpd's lease journal, dhcpd.leases(5): the final state of every address and of every
// failover peer, read as a stream.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "format/byte_source.h"

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

// What the last `lease` record of one address says.
struct LeaseState {
    // Absent when the record has no `binding state` statement (journals of dhcpd 2).
    std::optional<BindingState> binding;
    // ARP hardware type (1 ethernet, 6 token-ring, 8 fddi, 32 infiniband); 0 without a
    // `hardware` statement.
    std::uint8_t hardware_type = 0;
    std::string hardware;            // the hardware address bytes
    std::optional<std::string> uid;  // the client identifier bytes, unescaped as dhcpd does
    // A BOOTP lease: `binding state bootp` (older journals) or `dynamic-bootp;`. dhcpd keeps
    // it active with a flag; fostat counts it apart in the binding-state breakdown.
    bool bootp = false;
    std::uint64_t line = 0;  // where the winning record starts
};

// The last known failover states of one peer; a record that leaves a state out keeps the
// previous one, as dhcpd does. Words as written: "normal", "recover-done", ...
struct PeerState {
    std::string my_state;
    std::string partner_state;
    std::uint64_t line = 0;  // where the peer's last state record starts
};

struct LeaseJournal {
    std::string name;                                      // how messages name the journal
    std::unordered_map<std::uint32_t, LeaseState> leases;  // key: address in host order
    std::map<std::string, PeerState> peers;                // key: the failover peer's name
    std::uint64_t lease_records = 0;
    std::uint64_t peer_records = 0;
    // Statements this reader does not know, skipped (inside lease records and at top level).
    std::uint64_t unknown_statements = 0;
};

// Reads the whole journal; memory grows with the number of distinct addresses, not with the
// length of the file. `name` is how errors name the input. Throws InputError "name:line: ..."
// for a record cut off at the end of input, unbalanced braces, an invalid address, a binding
// or failover state dhcpd would not accept, or bytes that cannot be a journal.
LeaseJournal parse_leases(ByteSource& in, const std::string& name);

}  // namespace fostat
