#include "sources/isc_config.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"
#include "sources/isc_lexer.h"

namespace fostat {

std::optional<std::string> FilesystemConfigFiles::read(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return std::nullopt;
    return text.str();
}

std::optional<std::string> MemoryConfigFiles::read(const std::string& path) {
    const auto it = files.find(path);
    if (it == files.end())
        return std::nullopt;
    return it->second;
}

namespace {

struct Token {
    enum Kind { word, string, semi, lbrace, rbrace, other, end };
    Kind kind = end;
    std::string text;
    std::uint64_t line = 0;
};

std::string describe(const Token& token) {
    switch (token.kind) {
        case Token::word:
            return excerpt(token.text);
        case Token::string:
            return "string " + excerpt(token.text);
        case Token::semi:
        case Token::lbrace:
        case Token::rbrace:
        case Token::other:
            return "'" + token.text + "'";
        case Token::end:
            break;
    }
    return "end of file";
}

// dhcpd's lexer (src/sources/include/sources/isc_lexer.h) over one file's text, its tokens made to
// outlive the next one, and one token of lookahead.
class Lexer {
  public:
    Lexer(std::string text, const std::string& name)
        : source_(std::move(text)),
          lex_(source_, name, "dhcpd.conf file",
               static_cast<std::size_t>(std::min<std::uint64_t>(*source_.size() + 1, kBuffer))) {}

    const std::string& name() const { return lex_.name(); }

    Token next() {
        if (pushed_) {
            Token t = std::move(*pushed_);
            pushed_.reset();
            return t;
        }
        const IscToken in = lex_.next();
        Token t;
        t.line = in.line;
        t.text = in.text;
        switch (in.kind) {
            case IscToken::Kind::end:
                if (lex_.cut_in_string())
                    fail(in.line, "unterminated string");
                t.kind = Token::end;
                break;
            case IscToken::Kind::atom:
                t.kind = Token::word;
                break;
            case IscToken::Kind::string:
                t.kind = Token::string;
                break;
            case IscToken::Kind::punct:
                t.kind = in.is_punct(';')   ? Token::semi
                         : in.is_punct('{') ? Token::lbrace
                         : in.is_punct('}') ? Token::rbrace
                                            : Token::other;
                break;
        }
        return t;
    }

    void push_back(Token t) { pushed_ = std::move(t); }

    [[noreturn]] void fail(std::uint64_t line, const std::string& message) const {
        lex_.fail(line, message);
    }

  private:
    static constexpr std::size_t kBuffer = 256 * 1024;

    StringSource source_;
    IscLexer lex_;
    std::optional<Token> pushed_;
};

// dhcpd matches keywords without regard to case.
std::string keyword(const Token& token) {
    if (token.kind != Token::word)
        return {};
    std::string out = token.text;
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

enum class Scope { top, shared_network, subnet, pool };

// One entry of a pool's allow or deny list, as dhcpd's get_permit() reads it: "unknown",
// "known", "authenticated", "unauthenticated", "all", "dynamic", "after", or "members" with
// its class. dhcpd compares two lists as sets of these.
struct Permit {
    std::string type;
    std::string class_name;
    bool operator==(const Permit&) const = default;
};

bool same_set(const std::vector<Permit>& a, const std::vector<Permit>& b) {
    const auto within = [](const std::vector<Permit>& x, const std::vector<Permit>& y) {
        return std::all_of(x.begin(), x.end(), [&](const Permit& p) {
            return std::find(y.begin(), y.end(), p) != y.end();
        });
    };
    return within(a, b) && within(b, a);
}

// A pool as dhcpd keeps it in its shared network's list (docs/sources/isc.md, "Pools,
// shared networks and bare ranges"): declared with `pool`, or made for a bare `range`.
struct PoolDecl {
    std::optional<std::string> failover_peer;
    std::vector<Permit> permit;    // allow ...
    std::vector<Permit> prohibit;  // deny ...
    bool has_statements = false;   // any statement but range, allow, deny and failover peer
    std::vector<IscRange> ranges;
    std::string file;
    std::uint64_t line = 0;
};

// A shared-network, or the one dhcpd makes for a subnet declared outside any: its subnets and,
// in dhcpd's order, the pools of all of them.
struct SharedNetwork {
    // Set by `failover peer "name";` or a peer declared in the shared-network; a pool declared
    // after that takes it.
    std::optional<std::string> failover_peer;
    std::vector<std::size_t> subnets;
    std::vector<PoolDecl> pools;
};

struct Context {
    Scope scope = Scope::top;
    std::optional<std::string> shared_network;
    std::size_t shared_index = 0;  // into Parser::shared_ (every scope but top)
    std::optional<std::size_t> subnet;
    PoolDecl* pool = nullptr;  // the pool being declared (scope pool)
};

class Parser {
  public:
    explicit Parser(ConfigFiles& files) : files_(files) {}

    IscConfig run(const std::string& path) {
        auto text = files_.read(path);
        if (!text)
            throw InputError(path + ": cannot read the dhcpd configuration");
        Context top;
        parse_file(*text, path, top);
        finish();
        return std::move(out_);
    }

  private:
    void parse_file(std::string text, const std::string& path, Context& ctx) {
        include_stack_.push_back(std::filesystem::path(path).lexically_normal().string());
        Lexer lex(std::move(text), path);
        parse_block(lex, ctx, std::nullopt);
        include_stack_.pop_back();
    }

    // Statements up to the '}' matching the '{' on `open_line`, or to the end of the file
    // when there is none.
    void parse_block(Lexer& lex, Context& ctx, std::optional<std::uint64_t> open_line) {
        while (true) {
            Token t = lex.next();
            if (t.kind == Token::end) {
                if (open_line)
                    lex.fail(*open_line, "'{' is not closed before the end of the file");
                return;
            }
            if (t.kind == Token::rbrace) {
                if (!open_line)
                    lex.fail(t.line, "'}' without a matching '{'");
                return;
            }
            if (t.kind == Token::semi)
                continue;
            if (t.kind == Token::word)
                parse_statement(lex, ctx, t);
            else
                skip_statement(lex, t);
        }
    }

    // Skips the rest of a statement we do not interpret: up to ';' outside braces, or to
    // the '}' closing its first block.
    void skip_statement(Lexer& lex, const Token& first) {
        std::vector<std::uint64_t> open;
        Token t = first;
        while (true) {
            if (t.kind == Token::end) {
                if (!open.empty())
                    lex.fail(open.back(), "'{' is not closed before the end of the file");
                lex.fail(t.line, "expected ';' before the end of the file");
            }
            if (t.kind == Token::lbrace) {
                open.push_back(t.line);
            } else if (t.kind == Token::rbrace) {
                if (open.empty()) {  // the enclosing block ends: leave its '}' to the caller
                    lex.push_back(t);
                    return;
                }
                open.pop_back();
                if (open.empty())
                    return;
            } else if (t.kind == Token::semi && open.empty()) {
                return;
            }
            t = lex.next();
        }
    }

    Token expect(Lexer& lex, Token::Kind kind, const std::string& what) {
        Token t = lex.next();
        if (t.kind != kind)
            lex.fail(t.line, "expected " + what + ", found " + describe(t));
        return t;
    }

    std::uint32_t expect_address(Lexer& lex, const std::string& what) {
        Token t = lex.next();
        if (t.kind != Token::word)
            lex.fail(t.line, "expected " + what + ", found " + describe(t));
        auto address = parse_isc_ipv4(t.text);
        if (!address)
            lex.fail(t.line, "invalid IPv4 address " + excerpt(t.text));
        return *address;
    }

    std::uint32_t expect_number(Lexer& lex, const std::string& what) {
        Token t = lex.next();
        std::uint64_t value = 0;
        bool ok = t.kind == Token::word && !t.text.empty() && t.text.size() <= 10;
        for (char c : ok ? t.text : std::string())
            if (c >= '0' && c <= '9')
                value = value * 10 + static_cast<std::uint64_t>(c - '0');
            else
                ok = false;
        if (!ok || value > UINT32_MAX)
            lex.fail(t.line, "expected a number after " + what + ", found " + describe(t));
        return static_cast<std::uint32_t>(value);
    }

    void parse_statement(Lexer& lex, Context& ctx, const Token& first) {
        const std::string word = keyword(first);
        if (word == "include") {
            const Token name = expect(lex, Token::string, "a quoted file name after include");
            expect(lex, Token::semi, "';' after include");
            include(lex, ctx, name);
        } else if (word == "shared-network" && ctx.scope == Scope::top) {
            Token name = lex.next();
            if (name.kind != Token::word && name.kind != Token::string)
                lex.fail(name.line, "expected a shared-network name, found " + describe(name));
            const Token open = expect(lex, Token::lbrace, "'{' after shared-network name");
            Context inner;
            inner.scope = Scope::shared_network;
            inner.shared_network = name.text;
            inner.shared_index = shared_.size();
            shared_.emplace_back();
            parse_block(lex, inner, open.line);
            give_pools_to_subnets(shared_[inner.shared_index]);
        } else if (word == "subnet" &&
                   (ctx.scope == Scope::top || ctx.scope == Scope::shared_network)) {
            parse_subnet(lex, ctx, first);
        } else if (word == "pool" &&
                   (ctx.scope == Scope::subnet || ctx.scope == Scope::shared_network)) {
            const Token open = expect(lex, Token::lbrace, "'{' after pool");
            SharedNetwork& share = shared_[ctx.shared_index];
            PoolDecl pool;
            pool.failover_peer = share.failover_peer;
            pool.file = lex.name();
            pool.line = first.line;
            Context inner = ctx;
            inner.scope = Scope::pool;
            inner.pool = &pool;
            parse_block(lex, inner, open.line);
            add_pool(share, std::move(pool));
        } else if (ctx.scope == Scope::pool && (word == "allow" || word == "deny")) {
            parse_permit(lex, word == "allow" ? ctx.pool->permit : ctx.pool->prohibit, first);
        } else if (word == "group") {
            const Token open = expect(lex, Token::lbrace, "'{' after group");
            Context inner = ctx;  // a group only groups parameters: declarations stay put
            parse_block(lex, inner, open.line);
        } else if (word == "range" && ctx.scope != Scope::top) {
            parse_range(lex, ctx, first);
        } else if (word == "failover") {
            parse_failover(lex, ctx, first);
        } else {
            if (ctx.scope == Scope::pool)
                ctx.pool->has_statements = true;
            skip_statement(lex, first);
        }
    }

    // allow|deny <permit>; inside a pool.
    void parse_permit(Lexer& lex, std::vector<Permit>& list, const Token& first) {
        Token t = lex.next();
        Permit permit;
        permit.type = keyword(t);
        if (permit.type == "known-clients" || permit.type == "unknown-clients")
            permit.type.resize(permit.type.size() - std::string_view("-clients").size());
        if (permit.type == "members") {
            expect(lex, Token::word, "'of' after members");
            permit.class_name = expect(lex, Token::string, "a class name after members of").text;
        }
        if (t.kind == Token::semi)
            lex.push_back(t);
        skip_statement(lex, first);
        list.push_back(std::move(permit));
    }

    // A declared pool joins its shared network's list, or merges into a pool already there
    // that has no statements either, the same failover peer and the same permits.
    void add_pool(SharedNetwork& share, PoolDecl pool) {
        if (!pool.has_statements)
            for (PoolDecl& earlier : share.pools)
                if (!earlier.has_statements && earlier.failover_peer == pool.failover_peer &&
                    same_set(earlier.permit, pool.permit) &&
                    same_set(earlier.prohibit, pool.prohibit)) {
                    for (IscRange& range : pool.ranges)
                        earlier.ranges.push_back(std::move(range));
                    return;
                }
        share.pools.push_back(std::move(pool));
    }

    // The pool dhcpd puts a `range` declared outside any pool in: it looks for the first pool
    // whose lists are exactly "deny dynamic bootp clients" (for a dynamic-bootp range: exactly
    // "allow all clients") and takes the pool before that one, or that one when it is the
    // first; without such a pool it makes one, with no failover peer.
    PoolDecl& pool_for_bare_range(SharedNetwork& share, const IscRange& range) {
        const Permit wanted{range.dynamic_bootp ? "all" : "dynamic", ""};
        for (std::size_t i = 0; i < share.pools.size(); ++i) {
            const PoolDecl& p = share.pools[i];
            const auto& one = range.dynamic_bootp ? p.permit : p.prohibit;
            const auto& none = range.dynamic_bootp ? p.prohibit : p.permit;
            if (none.empty() && one.size() == 1 && one[0] == wanted)
                return share.pools[i == 0 ? 0 : i - 1];
        }
        PoolDecl made;
        (range.dynamic_bootp ? made.permit : made.prohibit).push_back(wanted);
        made.file = range.file;
        made.line = range.line;
        share.pools.push_back(std::move(made));
        return share.pools.back();
    }

    void include(Lexer& lex, Context& ctx, const Token& name) {
        std::filesystem::path target(name.text);
        if (target.is_relative())
            target = std::filesystem::path(lex.name()).parent_path() / target;
        const std::string path = target.lexically_normal().string();
        if (std::find(include_stack_.begin(), include_stack_.end(), path) != include_stack_.end())
            lex.fail(name.line, "include " + excerpt(name.text) + " forms a cycle");
        auto text = files_.read(path);
        if (!text)
            lex.fail(name.line, "cannot read included file " + excerpt(path));
        parse_file(std::move(*text), path, ctx);
    }

    void parse_subnet(Lexer& lex, Context& ctx, const Token& first) {
        const std::uint32_t network = expect_address(lex, "a subnet address");
        const Token netmask = lex.next();
        if (keyword(netmask) != "netmask")
            lex.fail(netmask.line, "expected 'netmask', found " + describe(netmask));
        const std::uint32_t mask = expect_address(lex, "a netmask");
        if (((~mask + 1) & ~mask) != 0)
            lex.fail(netmask.line, "netmask " + format_ipv4(mask) + " is not contiguous");
        if ((network & ~mask) != 0)
            lex.fail(first.line, "subnet " + format_ipv4(network) + " has bits outside netmask " +
                                     format_ipv4(mask));
        const Token open = expect(lex, Token::lbrace, "'{' after the netmask");
        IscSubnet subnet;
        subnet.network = network;
        subnet.prefix_length = std::popcount(mask);
        subnet.shared_network = ctx.shared_network;
        subnet.file = lex.name();
        subnet.line = first.line;
        out_.subnets.push_back(std::move(subnet));
        Context inner = ctx;
        inner.scope = Scope::subnet;
        inner.subnet = out_.subnets.size() - 1;
        const bool own_network = ctx.scope == Scope::top;
        if (own_network) {  // dhcpd makes a shared network of its own for this subnet
            inner.shared_index = shared_.size();
            shared_.emplace_back();
        }
        shared_[inner.shared_index].subnets.push_back(*inner.subnet);
        parse_block(lex, inner, open.line);
        if (own_network)
            give_pools_to_subnets(shared_[inner.shared_index]);
    }

    // range [dynamic-bootp] low [high];
    void parse_range(Lexer& lex, Context& ctx, const Token& first) {
        IscRange range;
        range.file = lex.name();
        range.line = first.line;
        Token t = lex.next();
        if (keyword(t) == "dynamic-bootp") {
            range.dynamic_bootp = true;
            t = lex.next();
        }
        lex.push_back(t);
        range.first = expect_address(lex, "an address after range");
        t = lex.next();
        if (t.kind == Token::semi) {
            range.last = range.first;
        } else {
            lex.push_back(t);
            range.last = expect_address(lex, "the range's last address");
            expect(lex, Token::semi, "';' after range");
        }
        if (range.last < range.first)  // dhcpd accepts the bounds in either order
            std::swap(range.first, range.last);

        if (ctx.subnet)
            check_in_subnet(range, out_.subnets[*ctx.subnet]);
        if (ctx.pool) {
            ctx.pool->ranges.push_back(std::move(range));
        } else {
            PoolDecl& pool = pool_for_bare_range(shared_[ctx.shared_index], range);
            pool.ranges.push_back(std::move(range));
        }
    }

    static bool contains(const IscSubnet& subnet, const IscRange& range) {
        const std::uint32_t mask = prefix_mask(subnet.prefix_length);
        return (range.first & mask) == subnet.network && (range.last & mask) == subnet.network;
    }

    void check_in_subnet(const IscRange& range, const IscSubnet& subnet) {
        if (!contains(subnet, range))
            throw InputError(at_line(range.file, range.line,
                                     "range " + format_ipv4(range.first) + " - " +
                                         format_ipv4(range.last) + " is not inside subnet " +
                                         format_ipv4(subnet.network) + "/" +
                                         std::to_string(subnet.prefix_length)));
    }

    // Gives each pool of a shared network to the subnets holding its ranges, in the network's
    // order of pools.
    void give_pools_to_subnets(SharedNetwork& share) {
        for (PoolDecl& pool : share.pools) {
            std::map<std::size_t, IscPool> by_subnet;
            for (IscRange& range : pool.ranges) {
                auto it =
                    std::find_if(share.subnets.begin(), share.subnets.end(),
                                 [&](std::size_t i) { return contains(out_.subnets[i], range); });
                if (it == share.subnets.end())
                    throw InputError(at_line(range.file, range.line,
                                             "range " + format_ipv4(range.first) + " - " +
                                                 format_ipv4(range.last) +
                                                 " is not inside any subnet of its "
                                                 "shared-network"));
                auto [entry, added] = by_subnet.try_emplace(*it);
                if (added)
                    entry->second = IscPool{pool.failover_peer, {}, pool.file, pool.line};
                entry->second.ranges.push_back(std::move(range));
            }
            for (auto& [index, part] : by_subnet)
                out_.subnets[index].pools.push_back(std::move(part));
        }
        share.pools.clear();
    }

    void parse_failover(Lexer& lex, Context& ctx, const Token& first) {
        Token t = lex.next();
        if (keyword(t) != "peer") {
            lex.push_back(t);
            skip_statement(lex, first);
            return;
        }
        const Token name = lex.next();
        if (name.kind != Token::word && name.kind != Token::string)
            lex.fail(name.line, "expected a failover peer name, found " + describe(name));
        t = lex.next();
        if (t.kind == Token::semi) {  // a reference: the pool's peer, or its network's
            if (ctx.scope == Scope::pool) {
                ctx.pool->failover_peer = name.text;
                references_.push_back({name.text, lex.name(), name.line});
            } else if (ctx.scope == Scope::shared_network) {
                shared_[ctx.shared_index].failover_peer = name.text;
                references_.push_back({name.text, lex.name(), name.line});
            } else {
                out_.warnings.push_back(at_line(lex.name(), first.line,
                                                "failover peer " + excerpt(name.text) +
                                                    " outside a pool or shared-network is "
                                                    "ignored"));
            }
            return;
        }
        if (t.kind == Token::lbrace) {
            parse_peer(lex, name, first, t.line);
            if (ctx.scope == Scope::shared_network)  // declared in it: the network's peer
                shared_[ctx.shared_index].failover_peer = name.text;
            return;
        }
        skip_statement(lex, t);  // failover peer "x" state { ... } and the like
    }

    void parse_peer(Lexer& lex, const Token& name, const Token& first, std::uint64_t open_line) {
        IscFailoverPeer peer;
        // The peer's name becomes the relationship's name in every sample.
        if (auto problem = name_problem(name.text))
            lex.fail(name.line, "failover peer name: " + *problem);
        peer.name = name.text;
        peer.file = lex.name();
        peer.line = first.line;
        std::optional<FailoverRole> role;
        while (true) {
            Token t = lex.next();
            if (t.kind == Token::end)
                lex.fail(open_line, "'{' is not closed before the end of the file");
            if (t.kind == Token::rbrace)
                break;
            if (t.kind != Token::word) {
                skip_statement(lex, t);
                continue;
            }
            const std::string key = keyword(t);
            if (key == "primary" || key == "secondary") {
                role = key == "primary" ? FailoverRole::primary : FailoverRole::secondary;
                expect(lex, Token::semi, "';' after " + key);
            } else if (key == "split") {
                const std::uint32_t split = expect_number(lex, "split");
                if (split > 255)
                    lex.fail(t.line,
                             "split must be between 0 and 255, found " + std::to_string(split));
                peer.split = static_cast<int>(split);
                std::array<std::uint8_t, 32> hba{};
                for (std::uint32_t i = 0; i < split; ++i)
                    hba[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
                peer.hba = hba;
                expect(lex, Token::semi, "';' after split");
            } else if (key == "hba") {
                // Its bytes may run over several lines: dhcpd reads numbers and colons as
                // separate tokens, with white space between any two.
                std::string text;
                Token value = lex.next();
                const std::uint64_t line = value.line;
                for (; value.kind == Token::word; value = lex.next())
                    text += value.text;
                const auto hba = parse_hba(text);
                if (!hba || value.kind != Token::semi)
                    lex.fail(line, "hba must be 32 colon-separated hex bytes, found " +
                                       (text.empty() ? describe(value) : excerpt(text)));
                peer.hba = hba;
            } else if (key == "mclt") {
                peer.mclt = expect_number(lex, key);
                expect(lex, Token::semi, "';' after mclt");
            } else if (key == "max-balance" || key == "min-balance" ||
                       key == "max-lease-misbalance") {
                const std::uint32_t value = expect_number(lex, key);
                // dhcpd takes 0 as "not set" and applies the default.
                if (value != 0) {
                    if (key == "max-balance")
                        peer.max_balance = value;
                    else if (key == "min-balance")
                        peer.min_balance = value;
                    else
                        peer.max_lease_misbalance = value;
                }
                expect(lex, Token::semi, "';' after " + key);
            } else {
                skip_statement(lex, t);
            }
        }
        if (!role)
            lex.fail(first.line,
                     "failover peer " + excerpt(peer.name) + " says neither primary nor secondary");
        peer.role = *role;
        if (peer.role == FailoverRole::primary && !peer.hba)
            out_.warnings.push_back(at_line(
                peer.file, peer.line,
                "primary failover peer " + excerpt(peer.name) + " has neither split nor hba"));
        for (const auto& other : out_.failover_peers)
            if (other.name == peer.name)
                lex.fail(first.line, "failover peer " + excerpt(peer.name) +
                                         " is already declared at " + other.file + ":" +
                                         std::to_string(other.line));
        out_.failover_peers.push_back(std::move(peer));
    }

    // hba: 32 bytes in dhcpd's colon-separated hex (parse_hex_bytes).
    static std::optional<std::array<std::uint8_t, 32>> parse_hba(const std::string& text) {
        std::string bytes;
        std::array<std::uint8_t, 32> hba{};
        if (!parse_hex_bytes(text, bytes) || bytes.size() != hba.size())
            return std::nullopt;
        std::copy(bytes.begin(), bytes.end(), hba.begin());
        return hba;
    }

    void finish() {
        for (const auto& ref : references_) {
            const bool known = std::any_of(out_.failover_peers.begin(), out_.failover_peers.end(),
                                           [&](const auto& p) { return p.name == ref.name; });
            if (!known)
                throw InputError(
                    at_line(ref.file, ref.line, "unknown failover peer " + excerpt(ref.name)));
        }
        std::vector<const IscRange*> ranges;
        for (const auto& subnet : out_.subnets)
            for (const auto& pool : subnet.pools)
                for (const auto& range : pool.ranges) {
                    ranges.push_back(&range);
                    if (!pool.failover_peer)
                        out_.warnings.push_back(at_line(
                            range.file, range.line,
                            "range " + format_ipv4(range.first) + " - " + format_ipv4(range.last) +
                                " is not in a pool with a failover peer"));
                }
        std::sort(ranges.begin(), ranges.end(),
                  [](const IscRange* a, const IscRange* b) { return a->first < b->first; });
        for (std::size_t i = 1; i < ranges.size(); ++i) {
            const IscRange& a = *ranges[i - 1];
            const IscRange& b = *ranges[i];
            if (b.first <= a.last)
                throw InputError(at_line(
                    b.file, b.line,
                    "range " + format_ipv4(b.first) + " - " + format_ipv4(b.last) +
                        " overlaps range " + format_ipv4(a.first) + " - " + format_ipv4(a.last) +
                        " declared at " + a.file + ":" + std::to_string(a.line)));
        }
    }

    struct Reference {
        std::string name;
        std::string file;
        std::uint64_t line;
    };

    ConfigFiles& files_;
    IscConfig out_;
    std::vector<std::string> include_stack_;
    std::vector<SharedNetwork> shared_;
    std::vector<Reference> references_;
};

}  // namespace

IscConfig parse_isc_config(ConfigFiles& files, const std::string& path) {
    return Parser(files).run(path);
}

}  // namespace fostat
