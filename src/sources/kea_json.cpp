#include "sources/kea_json.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "fostat/error.h"
#include "fostat/ipv4.h"

namespace fostat {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const KeaReplyContext& context, const std::string& what) {
    throw SourceError(context.prefix() + what);
}

// The hook library that provides a command, for the "not supported" message.
std::string_view hook_of(std::string_view command) {
    if (command.starts_with("stat-"))
        return "libdhcp_stat_cmds.so";
    if (command.starts_with("lease"))
        return "libdhcp_lease_cmds.so";
    if (command.starts_with("ha-"))
        return "libdhcp_ha.so";
    return "";
}

struct Reply {
    std::int64_t result = 0;
    std::string text;
    json arguments;
};

// The reply's object (kea-ctrl-agent wraps it in a one-element list) and its result.
Reply read_reply(std::string_view text, const KeaReplyContext& context) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        fail(context, "the reply is not JSON: " + excerpt(text));
    if (doc.is_array()) {
        if (doc.size() != 1)
            fail(context, "expected one reply in the list, found " + std::to_string(doc.size()));
        json first = std::move(doc[0]);
        doc = std::move(first);
    }
    if (!doc.is_object())
        fail(context, "the reply is not a JSON object: " + excerpt(text));
    const auto result = doc.find("result");
    if (result == doc.end() || !result->is_number_integer())
        fail(context, "the reply has no integer \"result\": " + excerpt(text));
    Reply reply;
    reply.result = result->get<std::int64_t>();
    if (const auto t = doc.find("text"); t != doc.end() && t->is_string())
        reply.text = t->get<std::string>();
    if (const auto a = doc.find("arguments"); a != doc.end())
        reply.arguments = std::move(*a);
    return reply;
}

[[noreturn]] void fail_result(const Reply& reply, const KeaReplyContext& context) {
    std::string what = "Kea answered result " + std::to_string(reply.result);
    if (!reply.text.empty()) {
        constexpr std::size_t kLongest = 200;
        what += ": " + (reply.text.size() > kLongest ? reply.text.substr(0, kLongest) + "..."
                                                     : reply.text);
    }
    if (reply.result == 2) {
        const std::string_view hook = hook_of(context.command);
        what += hook.empty() ? " (not supported by this Kea)"
                             : " (load the hook library " + std::string(hook) + " into kea-dhcp4)";
    }
    fail(context, what);
}

Reply successful_reply(std::string_view text, const KeaReplyContext& context) {
    Reply reply = read_reply(text, context);
    if (reply.result != 0)
        fail_result(reply, context);
    return reply;
}

// Typed access that names the missing or mistyped member by its path in the reply.
const json& member(const json& object, const char* key, const std::string& path,
                   const KeaReplyContext& context) {
    if (!object.is_object())
        fail(context, "\"" + path + "\" is not an object");
    const auto it = object.find(key);
    if (it == object.end())
        fail(context, "the reply has no \"" + path + "." + key + "\"");
    return *it;
}

std::string string_member(const json& object, const char* key, const std::string& path,
                          const KeaReplyContext& context) {
    const json& value = member(object, key, path, context);
    if (!value.is_string())
        fail(context, "\"" + path + "." + key + "\" is not a string");
    return value.get<std::string>();
}

std::uint64_t count_value(const json& value, const std::string& path,
                          const KeaReplyContext& context) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
        fail(context, "\"" + path + "\" is not a count: " + excerpt(value.dump()));
    return value.get<std::uint64_t>();
}

const json& list_member(const json& object, const char* key, const std::string& path,
                        const KeaReplyContext& context) {
    const json& value = member(object, key, path, context);
    if (!value.is_array())
        fail(context, "\"" + path + "." + key + "\" is not a list");
    return value;
}

// "198.18.1.10-198.18.1.129", "198.18.1.10 - 198.18.1.129" or "198.18.1.0/25".
std::optional<KeaPool> parse_pool_text(std::string_view text) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == ' ')
            s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ')
            s.remove_suffix(1);
        return s;
    };
    KeaPool pool;
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        const auto first = parse_ipv4(trim(text.substr(0, dash)));
        const auto last = parse_ipv4(trim(text.substr(dash + 1)));
        if (!first || !last || *first > *last)
            return std::nullopt;
        pool.first = *first;
        pool.last = *last;
        return pool;
    }
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    const auto network = parse_ipv4(trim(text.substr(0, slash)));
    const std::string_view length_text = trim(text.substr(slash + 1));
    if (!network || length_text.empty() || length_text.size() > 2)
        return std::nullopt;
    int length = 0;
    for (char c : length_text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        length = length * 10 + (c - '0');
    }
    if (length > 32)
        return std::nullopt;
    const std::uint32_t mask = prefix_mask(length);
    pool.first = *network & mask;
    pool.last = pool.first | ~mask;
    return pool;
}

// user-context.ha-server-name of a subnet or shared network, or `otherwise`.
std::string ha_server_name(const json& object, const std::string& otherwise) {
    const auto context = object.find("user-context");
    if (context == object.end() || !context->is_object())
        return otherwise;
    const auto name = context->find("ha-server-name");
    return name != context->end() && name->is_string() ? name->get<std::string>() : otherwise;
}

void read_subnets(const json& list, const std::string& path, const std::string& network_ha_name,
                  const KeaReplyContext& context, std::vector<KeaSubnet>& out) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& s = list[i];
        const std::string at = path + "[" + std::to_string(i) + "]";
        KeaSubnet subnet;
        const json& id = member(s, "id", at, context);
        if (!id.is_number_integer())
            fail(context, "\"" + at + ".id\" is not an integer");
        subnet.id = id.get<std::int64_t>();
        const std::string prefix = string_member(s, "subnet", at, context);
        const auto scope = normalise_scope(prefix);
        if (!scope || scope->find('/') == std::string::npos)
            fail(context, "\"" + at + ".subnet\" is not an IPv4 prefix: " + excerpt(prefix));
        subnet.prefix = *scope;
        subnet.ha_server_name = ha_server_name(s, network_ha_name);
        if (s.contains("pools")) {
            const json& pools = list_member(s, "pools", at, context);
            for (std::size_t j = 0; j < pools.size(); ++j) {
                const std::string pat = at + ".pools[" + std::to_string(j) + "]";
                const std::string text = string_member(pools[j], "pool", pat, context);
                auto pool = parse_pool_text(text);
                if (!pool)
                    fail(context, "\"" + pat + ".pool\" is not an IPv4 pool: " + excerpt(text));
                if (const auto c = pools[j].find("client-class");
                    c != pools[j].end() && c->is_string() && !c->get<std::string>().empty())
                    pool->client_classes.push_back(c->get<std::string>());
                if (const auto c = pools[j].find("client-classes");
                    c != pools[j].end() && c->is_array()) {
                    for (const json& name : *c) {
                        if (name.is_string())
                            pool->client_classes.push_back(name.get<std::string>());
                    }
                }
                subnet.pools.push_back(std::move(*pool));
            }
        }
        out.push_back(std::move(subnet));
    }
}

// The HA hook's relationships: one "high-availability" entry each.
std::vector<KeaHaConfig> read_relationships(const json& dhcp4, const KeaReplyContext& context) {
    const auto hooks = dhcp4.find("hooks-libraries");
    if (hooks == dhcp4.end() || !hooks->is_array())
        return {};
    for (const json& hook : *hooks) {
        const auto library = hook.find("library");
        if (library == hook.end() || !library->is_string() ||
            !library->get<std::string>().ends_with("libdhcp_ha.so"))
            continue;
        const std::string path = "Dhcp4.hooks-libraries[libdhcp_ha.so].parameters";
        const json& parameters =
            member(hook, "parameters", "Dhcp4.hooks-libraries[libdhcp_ha.so]", context);
        const json& list = list_member(parameters, "high-availability", path, context);
        if (list.empty())
            fail(context, "\"" + path + ".high-availability\" is empty");
        std::vector<KeaHaConfig> relationships;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const json& r = list[i];
            const std::string at = path + ".high-availability[" + std::to_string(i) + "]";
            KeaHaConfig ha;
            ha.this_server_name = string_member(r, "this-server-name", at, context);
            ha.mode = string_member(r, "mode", at, context);
            const json& peers = list_member(r, "peers", at, context);
            for (std::size_t j = 0; j < peers.size(); ++j) {
                const std::string pat = at + ".peers[" + std::to_string(j) + "]";
                ha.peers.push_back({string_member(peers[j], "name", pat, context),
                                    string_member(peers[j], "role", pat, context)});
            }
            relationships.push_back(std::move(ha));
        }
        return relationships;
    }
    return {};
}

// "2.2.0", "3.2.0-git", "2.6.5\n...": the leading major.minor.patch.
std::optional<KeaVersion> read_version(std::string_view text) {
    KeaVersion v;
    const char* at = text.data();
    const char* const end = text.data() + text.size();
    for (int* part : {&v.major, &v.minor, &v.patch}) {
        if (part != &v.major && (at == end || *at++ != '.'))
            return std::nullopt;
        const auto [next, ec] = std::from_chars(at, end, *part);
        if (ec != std::errc{} || *part < 0)
            return std::nullopt;
        at = next;
    }
    return v;
}

}  // namespace

bool assigned_includes_declined(const KeaVersion& version) {
    return version >= KeaVersion{3, 1, 2};
}

KeaVersion parse_version_get(std::string_view text, const KeaReplyContext& context) {
    const Reply reply = successful_reply(text, context);
    const auto version = read_version(reply.text);
    if (!version)
        fail(context, "the reply's \"text\" is not a Kea version: " + excerpt(reply.text));
    return *version;
}

KeaConfig parse_config_get(std::string_view text, const KeaReplyContext& context) {
    const Reply reply = successful_reply(text, context);
    const json& dhcp4 = member(reply.arguments, "Dhcp4", "arguments", context);
    KeaConfig config;
    if (dhcp4.contains("subnet4"))
        read_subnets(list_member(dhcp4, "subnet4", "Dhcp4", context), "Dhcp4.subnet4", "", context,
                     config.subnets);
    if (dhcp4.contains("shared-networks")) {
        const json& networks = list_member(dhcp4, "shared-networks", "Dhcp4", context);
        for (std::size_t i = 0; i < networks.size(); ++i) {
            const std::string at = "Dhcp4.shared-networks[" + std::to_string(i) + "]";
            if (networks[i].contains("subnet4"))
                read_subnets(list_member(networks[i], "subnet4", at, context), at + ".subnet4",
                             ha_server_name(networks[i], ""), context, config.subnets);
        }
    }
    config.relationships = read_relationships(dhcp4, context);
    return config;
}

std::vector<KeaHaStatus> parse_status_get(std::string_view text, const KeaReplyContext& context) {
    const Reply reply = successful_reply(text, context);
    const auto ha = reply.arguments.is_object() ? reply.arguments.find("high-availability")
                                                : reply.arguments.end();
    if (!reply.arguments.is_object() || ha == reply.arguments.end())
        return {};
    if (!ha->is_array() || ha->empty())
        fail(context, "\"arguments.high-availability\" is not a list of relationships");
    std::vector<KeaHaStatus> out;
    for (std::size_t i = 0; i < ha->size(); ++i) {
        const json& r = (*ha)[i];
        const std::string at = "arguments.high-availability[" + std::to_string(i) + "]";
        const std::string local_at = at + ".ha-servers.local";
        KeaHaStatus status;
        status.mode = string_member(r, "ha-mode", at, context);
        const json& local =
            member(member(r, "ha-servers", at, context), "local", at + ".ha-servers", context);
        if (local.contains("server-name"))
            status.server_name = string_member(local, "server-name", local_at, context);
        status.role = string_member(local, "role", local_at, context);
        status.state = string_member(local, "state", local_at, context);
        out.push_back(std::move(status));
    }
    return out;
}

std::map<std::int64_t, KeaSubnetStats> parse_stat_lease4_get(std::string_view text,
                                                             const KeaReplyContext& context) {
    const Reply reply = successful_reply(text, context);
    const json& set = member(reply.arguments, "result-set", "arguments", context);
    const json& columns = list_member(set, "columns", "arguments.result-set", context);
    const json& rows = list_member(set, "rows", "arguments.result-set", context);
    // Columns by name: their order is Kea's to choose.
    int id = -1, total = -1, assigned = -1, declined = -1, cumulative = -1;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string name = columns[i].is_string() ? columns[i].get<std::string>() : "";
        const int n = static_cast<int>(i);
        if (name == "subnet-id")
            id = n;
        else if (name == "total-addresses")
            total = n;
        else if (name == "assigned-addresses")
            assigned = n;
        else if (name == "declined-addresses")
            declined = n;
        else if (name == "cumulative-assigned-addresses")
            cumulative = n;
    }
    if (id < 0 || total < 0 || assigned < 0 || declined < 0)
        fail(context,
             "the result-set lacks subnet-id, total-addresses, assigned-addresses or "
             "declined-addresses");
    std::map<std::int64_t, KeaSubnetStats> out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const json& row = rows[r];
        const std::string at = "arguments.result-set.rows[" + std::to_string(r) + "]";
        if (!row.is_array() || row.size() != columns.size())
            fail(context, "\"" + at + "\" does not have one value per column");
        auto cell = [&](int column) {
            return count_value(row[static_cast<std::size_t>(column)],
                               at + "[" + std::to_string(column) + "]", context);
        };
        KeaSubnetStats stats;
        stats.total = cell(total);
        stats.assigned = cell(assigned);
        stats.declined = cell(declined);
        if (cumulative >= 0)
            stats.cumulative_assigned = cell(cumulative);
        out[static_cast<std::int64_t>(cell(id))] = stats;
    }
    return out;
}

std::size_t parse_lease4_get_page(std::string_view text, const KeaReplyContext& context,
                                  std::vector<KeaLease>& out) {
    const Reply reply = read_reply(text, context);
    if (reply.result == 3)
        return 0;  // no more leases
    if (reply.result != 0)
        fail_result(reply, context);
    const json& leases = list_member(reply.arguments, "leases", "arguments", context);
    for (std::size_t i = 0; i < leases.size(); ++i) {
        const std::string at = "arguments.leases[" + std::to_string(i) + "]";
        const std::string address = string_member(leases[i], "ip-address", at, context);
        const auto parsed = parse_ipv4(address);
        if (!parsed)
            fail(context, "\"" + at + ".ip-address\" is not an IPv4 address: " + excerpt(address));
        const json& state = member(leases[i], "state", at, context);
        if (!state.is_number_integer())
            fail(context, "\"" + at + ".state\" is not an integer");
        out.push_back({*parsed, state.get<std::int64_t>()});
    }
    return leases.size();
}

}  // namespace fostat
