#include <iostream>
#include <memory>

#include "cli/collect.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "os/unix_socket.h"
#include "sources/kea.h"

namespace fostat {
namespace {

struct KeaArgs {
    std::string socket;
    std::string url;
    std::string auth_file;
    std::string tls_ca;
    std::string tls_cert;
    std::string tls_key;
    std::string server;
    DurationValue timeout{"10s"};
    std::size_t page_size = 1000;
};

std::unique_ptr<KeaChannel> open_channel(const KeaArgs& args) {
    if (args.socket.empty() == args.url.empty())
        throw InputError(
            "kea: give either --socket PATH (kea-dhcp4's unix control socket) or --url "
            "URL (Kea's HTTP API: kea-dhcp4's own http control socket, or kea-ctrl-agent "
            "before Kea 3.1.8)");
    if (!args.socket.empty() && (!args.auth_file.empty() || !args.tls_ca.empty() ||
                                 !args.tls_cert.empty() || !args.tls_key.empty()))
        throw InputError(
            "kea: --auth-file and --tls-* are for --url; a unix socket is "
            "protected by its file permissions");
    if (args.tls_cert.empty() != args.tls_key.empty())
        throw InputError("kea: --tls-cert and --tls-key go together");
    const std::chrono::milliseconds timeout = std::chrono::seconds(args.timeout.seconds);
    if (!args.socket.empty()) {
        // The source says so too, without the options that choose the channel.
        if (!os::have_unix_sockets()) {
            throw InputError("--socket " + args.socket +
                             ": Windows has no unix control sockets (and no Kea): ask "
                             "Kea's HTTP API with --url http://HOST:8000/ instead");
        }
        return open_kea_socket(args.socket, timeout);
    }
    KeaHttpOptions http;
    http.url = args.url;
    http.auth_file = args.auth_file;
    http.tls_ca = args.tls_ca;
    http.tls_cert = args.tls_cert;
    http.tls_key = args.tls_key;
    http.timeout = timeout;
    return open_kea_http(http);
}

int run_kea(const CollectOptions& common, const KeaArgs& args) {
    // Kea 2.2 takes longer per lease the larger a page (bench: 21 ms for 1,000 leases, 2.2 s
    // for 20,000), and serves nothing else meanwhile.
    if (args.page_size == 0 || args.page_size > 5'000)
        throw InputError(
            "--page-size: give 1 to 5000 leases (Kea builds a large page slowly "
            "and answers no client meanwhile)");
    const std::unique_ptr<KeaChannel> channel = open_channel(args);
    const RunInfo info{"kea", args.server};
    return collect_runs(common, info, OnConflict::fail, [&](std::int64_t now, SampleSink& sink) {
        KeaOptions options;
        options.server = args.server;
        options.at = now;
        options.page_size = args.page_size;
        KeaCounts counts;
        try {
            counts = collect_kea(*channel, options, sink);
        } catch (const SourceError& e) {
            if (args.server.empty())
                throw;
            throw SourceError("server " + args.server + ": " + e.what());
        }
        if (!common.quiet) {
            for (const std::string& w : counts.warnings)
                std::cerr << "fostat-collect: warning: " << w << '\n';
        }
        if (counts.subnets == 0) {
            throw SourceError(channel->where() +
                              ": config-get: no subnet has a pool; nothing to record");
        }
    });
}

}  // namespace

void setup_kea(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<KeaArgs>();
    CLI::App* sub = app.add_subcommand(
        "kea",
        "Ask one Kea DHCPv4 server of an HA pair (or a hub-and-spoke hub), over its unix "
        "control socket or Kea's HTTP API, for its subnets, pools, lease statistics and HA "
        "state: one sample per subnet, under the relationship that serves it. In "
        "load-balancing, pools of the client class HA_<server> are that server's; in "
        "hot-standby the active server owns every free address (docs/sources/kea.md).");
    add_collect_options(*sub, common);
    add_every_option(*sub, common);
    sub->add_option("--socket", args->socket,
                    "kea-dhcp4's unix control socket (control-socket.socket-name)")
        ->type_name("PATH");
    sub->add_option("--url", args->url,
                    "Kea's HTTP API, http:// or https://: kea-dhcp4's own http control "
                    "socket (control-sockets, Kea 3.0+) or kea-ctrl-agent (until Kea 3.1.8)")
        ->type_name("URL");
    sub->add_option("--auth-file", args->auth_file,
                    "a file holding user:password for the HTTP API's basic authentication "
                    "(keep it readable by the collector only)")
        ->type_name("FILE");
    sub->add_option("--tls-ca", args->tls_ca,
                    "the CA certificate that signed the HTTP API's (https; default: the "
                    "system's CAs)")
        ->type_name("FILE");
    sub->add_option("--tls-cert", args->tls_cert,
                    "a client certificate (PEM) for a Kea that requires one "
                    "(cert-required)")
        ->type_name("FILE");
    sub->add_option("--tls-key", args->tls_key, "the private key of --tls-cert (PEM)")
        ->type_name("FILE");
    sub->add_option("--server", args->server,
                    "the name to store the samples under (default: the HA this-server-name; "
                    "on a hub, its name in each subnet's relationship)")
        ->type_name("NAME")
        ->check(name_validator());
    add_duration_option(*sub, "--timeout", args->timeout,
                        "the longest wait for each command's reply");
    sub->add_option("--page-size", args->page_size,
                    "leases per lease4-get-page request, for per-pool counts")
        ->type_name("N")
        ->capture_default_str();
    sub->callback([&common, &status, args] { status = run_kea(common, *args); });
}

}  // namespace fostat
