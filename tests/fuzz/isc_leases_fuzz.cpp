// libFuzzer target: the dhcpd.leases journal parser. Any input must parse or throw
// InputError, and the same way whatever the size of the reader's buffer (a small one puts
// refills inside tokens, quoted strings and comments).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "sources/isc_leases.h"

namespace {

// What a parse gave: the error's message, or the journal written out.
std::string outcome(const std::string& text, std::size_t buffer) {
    fostat::StringSource in(text, 613);
    try {
        const fostat::LeaseJournal journal = fostat::parse_leases(in, "fuzz.leases", buffer);
        std::string out = std::to_string(journal.lease_records) + ' ' +
                          std::to_string(journal.peer_records) + ' ' +
                          std::to_string(journal.unknown_statements) + '\n';
        for (const auto& [address, lease] : journal.leases) {
            out += std::to_string(address) + ' ' +
                   std::to_string(lease.binding ? static_cast<int>(*lease.binding) : -1) + ' ' +
                   std::to_string(lease.hardware_type) + ' ' + std::to_string(lease.bootp) + ' ' +
                   std::to_string(lease.line) + ' ' + std::string(lease.hardware) + '|' +
                   (lease.uid ? std::string(*lease.uid) : std::string("-")) + '\n';
        }
        for (const auto& [name, peer] : journal.peers)
            out += name + '|' + peer.my_state + '|' + peer.partner_state + '\n';
        return out;
    } catch (const fostat::InputError& e) {
        return std::string("error: ") + e.what();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (outcome(text, fostat::kLeaseReadBuffer) != outcome(text, 1 + size % 17))
        std::abort();
    return 0;
}
