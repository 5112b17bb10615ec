#include "storage/lease_states.h"

#include <algorithm>
#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/byte_codec.h"
#include "storage/chunk_codec.h"
#include "storage/head.h"

// Layout of a day's row:
//   varint  k, the number of states named in the day
//   k times varint length, the state's name
//   per sample in time order:
//     varint  timestamp - previous timestamp (the first sample's previous is the day)
//     k times varint zigzag(count - previous count of that state), the previous being 0
//             before the first sample
// A collector on a fixed interval whose counts barely move spends 2 bytes on the time and
// one byte a state.

namespace fostat {
namespace {

std::uint64_t count_of(std::span<const LeaseStateCount> counts, std::string_view state) {
    for (const LeaseStateCount& c : counts) {
        if (c.state == state)
            return c.addresses;
    }
    return 0;
}

std::string describe(std::span<const LeaseStateCount> counts) {
    std::string out;
    for (const LeaseStateCount& c : counts) {
        if (!out.empty())
            out += ' ';
        out += c.state + "=" + std::to_string(c.addresses);
    }
    return out.empty() ? "none" : out;
}

}  // namespace

bool same_lease_states(std::span<const LeaseStateCount> a, std::span<const LeaseStateCount> b) {
    for (const LeaseStateCount& c : a) {
        if (count_of(b, c.state) != c.addresses)
            return false;
    }
    for (const LeaseStateCount& c : b) {
        if (count_of(a, c.state) != c.addresses)
            return false;
    }
    return true;
}

std::string encode_lease_states(std::int64_t day, std::span<const LeaseStatesAt> samples) {
    std::vector<std::string_view> names;
    for (const LeaseStatesAt& s : samples) {
        for (const LeaseStateCount& c : s.counts) {
            if (std::find(names.begin(), names.end(), c.state) == names.end())
                names.push_back(c.state);
        }
    }
    std::string out;
    put_varint(out, names.size());
    for (std::string_view name : names) {
        put_varint(out, name.size());
        out.append(name);
    }
    std::int64_t previous_ts = day;
    std::vector<std::int64_t> previous(names.size(), 0);
    for (const LeaseStatesAt& s : samples) {
        put_varint(out, static_cast<std::uint64_t>(s.timestamp - previous_ts));
        previous_ts = s.timestamp;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto value = static_cast<std::int64_t>(count_of(s.counts, names[i]));
            put_varint(out, zigzag(value - previous[i]));
            previous[i] = value;
        }
    }
    return out;
}

void decode_lease_states(std::int64_t day, std::string_view data, std::vector<LeaseStatesAt>& out) {
    ByteReader in(data, "lease-state breakdown");
    const std::uint64_t k = in.varint();
    if (k > data.size())
        in.damaged();
    std::vector<std::string> names;
    for (std::uint64_t i = 0; i < k; ++i) {
        const std::uint64_t length = in.varint();
        std::string& name = names.emplace_back();
        for (std::uint64_t j = 0; j < length; ++j)
            name.push_back(static_cast<char>(in.byte()));
    }
    std::int64_t ts = day;
    std::vector<std::int64_t> previous(names.size(), 0);
    while (!in.done()) {
        LeaseStatesAt& s = out.emplace_back();
        ts += static_cast<std::int64_t>(in.varint());
        if (ts >= day + kChunkSeconds)
            in.damaged();
        s.timestamp = ts;
        s.counts.reserve(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            previous[i] += unzigzag(in.varint());
            if (previous[i] < 0)
                in.damaged();
            s.counts.push_back({names[i], static_cast<std::uint64_t>(previous[i])});
        }
    }
}

// ---------------------------------------------------------------------------------------------

namespace {

// Kept breakdowns are written out when there are this many, to bound the run's memory.
constexpr std::size_t kMaxPending = 100'000;

// Decodes a stored row (day, samples, data) onto `out`; a blob that does not hold `samples`
// samples was cut short.
void decode_row(SQLite::Statement& row, std::vector<LeaseStatesAt>& out) {
    const std::size_t before = out.size();
    decode_lease_states(row.getColumn(0).getInt64(), blob_view(row.getColumn(2)), out);
    if (static_cast<std::int64_t>(out.size() - before) != row.getColumn(1).getInt64())
        ByteReader({}, "lease-state breakdown").damaged();
}

}  // namespace

LeaseStateWriter::LeaseStateWriter(SQLite::Database& db, bool replace)
    : db_(db), replace_(replace) {
    read_ = std::make_unique<SQLite::Statement>(
        db_, "SELECT day, samples, data FROM lease_states WHERE series_id = ? AND day = ?");
    write_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT OR REPLACE INTO lease_states (series_id, day, samples, data) "
        "VALUES (?, ?, ?, ?)");
    delete_ = std::make_unique<SQLite::Statement>(
        db_, "DELETE FROM lease_states WHERE series_id = ? AND day = ?");
}

LeaseStateWriter::~LeaseStateWriter() = default;

void LeaseStateWriter::add(std::int64_t series, const Sample& sample) {
    keep(series, sample, Change{{sample.timestamp, sample.lease_states}, false});
}

void LeaseStateWriter::erase(std::int64_t series, const Sample& sample) {
    keep(series, sample, Change{{sample.timestamp, {}}, true});
}

void LeaseStateWriter::keep(std::int64_t series, const Sample& sample, Change change) {
    Day& day = pending_[{series, chunk_day(sample.timestamp)}];
    if (day.changes.empty()) {
        day.server = sample.server;
        day.scope = sample.scope;
    }
    day.changes.push_back(std::move(change));
    if (++pending_samples_ >= kMaxPending)
        flush();
}

void LeaseStateWriter::flush() {
    for (auto& [key, day] : pending_)
        write_day(key.first, key.second, day);
    pending_.clear();
    pending_samples_ = 0;
}

void LeaseStateWriter::write_day(std::int64_t series, std::int64_t day, Day& changes) {
    scratch_.clear();
    read_->reset();
    read_->bind(1, series);
    read_->bind(2, day);
    if (read_->executeStep())
        decode_row(*read_, scratch_);
    auto& stored = scratch_;
    for (Change& change : changes.changes) {
        auto at = std::lower_bound(
            stored.begin(), stored.end(), change.states.timestamp,
            [](const LeaseStatesAt& s, std::int64_t t) { return s.timestamp < t; });
        const bool found = at != stored.end() && at->timestamp == change.states.timestamp;
        if (change.erase) {
            if (found)
                stored.erase(at);
            continue;
        }
        if (!found) {
            stored.insert(at, std::move(change.states));
            continue;
        }
        if (same_lease_states(at->counts, change.states.counts))
            continue;
        if (!replace_) {
            throw AlreadyStored("server " + changes.server + ", scope " + changes.scope + " at " +
                                format_utc(change.states.timestamp) +
                                " is already stored with lease states " + describe(at->counts) +
                                "; the new sample has " + describe(change.states.counts));
        }
        *at = std::move(change.states);
    }
    if (stored.empty()) {
        delete_->reset();
        delete_->bind(1, series);
        delete_->bind(2, day);
        delete_->exec();
        return;
    }
    const std::string data = encode_lease_states(day, stored);
    write_->reset();
    write_->bind(1, series);
    write_->bind(2, day);
    write_->bind(3, static_cast<std::int64_t>(stored.size()));
    write_->bindNoCopy(4, data.data(), static_cast<int>(data.size()));
    write_->exec();
}

// ---------------------------------------------------------------------------------------------

LeaseStateReader::LeaseStateReader(SQLite::Database& db) : head_(std::make_unique<HeadReader>(db)) {
    days_ = std::make_unique<SQLite::Statement>(
        db,
        "SELECT day, samples, data FROM lease_states WHERE series_id = ? AND day >= ? AND "
        "day <= ? "
        "ORDER BY day");
}

LeaseStateReader::~LeaseStateReader() = default;

std::vector<LeaseStatesAt> LeaseStateReader::read(std::int64_t series, std::int64_t since,
                                                  std::int64_t until) {
    std::vector<LeaseStatesAt> all;
    start(series, since, until);
    while (const LeaseStatesAt* s = next())
        all.push_back(*s);
    return all;
}

void LeaseStateReader::start(std::int64_t series, std::int64_t since, std::int64_t until) {
    // The day of `since` may start before it; days are never near the int64 limits.
    constexpr std::int64_t kFar = std::numeric_limits<std::int64_t>::max() / 2;
    const std::int64_t from = since <= -kFar ? -kFar : chunk_day(since);
    const std::int64_t to = until >= kFar ? kFar : until;
    days_->reset();
    days_->bind(1, series);
    days_->bind(2, from);
    days_->bind(3, to);
    head_days_ = head_->days(series, from, to);
    next_head_day_ = 0;
    series_ = series;
    row_pending_ = false;
    rows_done_ = false;
    day_.clear();
    at_ = 0;
    since_ = since;
    until_ = until;
    done_ = false;
}

const LeaseStatesAt* LeaseStateReader::next() {
    while (!done_) {
        if (at_ == day_.size()) {
            day_.clear();
            at_ = 0;
            if (!next_day()) {
                done_ = true;
                break;
            }
            continue;
        }
        const LeaseStatesAt& s = day_[at_++];
        if (s.timestamp > until_) {
            done_ = true;
            break;
        }
        if (s.timestamp >= since_)
            return &s;
    }
    return nullptr;
}

bool LeaseStateReader::next_day() {
    if (!row_pending_ && !rows_done_) {
        row_pending_ = days_->executeStep();
        rows_done_ = !row_pending_;
    }
    const bool head_left = next_head_day_ < head_days_.size();
    if (!row_pending_ && !head_left)
        return false;
    const std::int64_t row_day =
        row_pending_ ? days_->getColumn(0).getInt64() : std::numeric_limits<std::int64_t>::max();
    const std::int64_t day = head_left ? std::min(row_day, head_days_[next_head_day_]) : row_day;
    if (row_pending_ && row_day == day) {
        decode_row(*days_, day_);
        row_pending_ = false;
    }
    if (head_left && head_days_[next_head_day_] == day) {
        // As the day will read once compacted: every state it names, in one order.
        head_->lease_states(series_, day, day_);
        ++next_head_day_;
        std::vector<LeaseStatesAt> whole;
        decode_lease_states(day, encode_lease_states(day, day_), whole);
        day_ = std::move(whole);
    }
    return true;
}

}  // namespace fostat
