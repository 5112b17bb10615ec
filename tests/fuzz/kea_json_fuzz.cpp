// libFuzzer target: Kea's control-channel replies. The input is given as the reply to each
// parser, and as the statistics and lease pages of a collection whose configuration and
// status are real captured ones; anything must parse or throw SourceError.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "fostat/error.h"
#include "null_sink.h"
#include "sources/kea.h"

namespace {

std::string captured(const char* name) {
    std::ifstream in(std::string(FOSTAT_KEA_LAB) + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class FuzzedKea : public fostat::KeaChannel {
  public:
    explicit FuzzedKea(std::string reply) : reply_(std::move(reply)) {}
    std::string command(const std::string& command, const std::string&) override {
        static const std::string config = captured("load-balancing/server1.config-get.json");
        static const std::string status = captured("load-balancing/server1.status-get.json");
        static const std::string version = captured("load-balancing/server1.version-get.json");
        if (command == "version-get")
            return version;
        if (command == "config-get")
            return config;
        if (command == "status-get")
            return status;
        if (++pages_ > 3)
            return "{\"result\": 3}";  // end the paging
        return reply_;
    }
    std::string where() const override { return "fuzz"; }

  private:
    std::string reply_;
    int pages_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const fostat::KeaReplyContext context{"fuzz", "command"};
    auto attempt = [](auto&& parse) {
        try {
            parse();
        } catch (const fostat::SourceError&) {
        }
    };
    attempt([&] { fostat::parse_version_get(text, context); });
    attempt([&] { fostat::parse_config_get(text, context); });
    attempt([&] { fostat::parse_status_get(text, context); });
    attempt([&] { fostat::parse_stat_lease4_get(text, context); });
    attempt([&] {
        std::vector<fostat::KeaLease> leases;
        fostat::parse_lease4_get_page(text, context, leases);
    });
    attempt([&] {
        FuzzedKea kea(text);
        fostat::NullSink sink;
        fostat::collect_kea(kea, fostat::KeaOptions{}, sink);
    });
    return 0;
}
