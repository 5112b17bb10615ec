#include "storage/sample_reader.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "fostat/error.h"
#include "storage/blob.h"
#include "storage/chunk_codec.h"
#include "storage/database.h"
#include "storage/head.h"

namespace fostat {
namespace {

bool wanted(const std::vector<std::string>& list, const std::string& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

// A scope's address, then its prefix length (33 for a bare address).
std::pair<std::uint64_t, std::uint64_t> scope_order(std::string_view scope) {
    std::uint64_t key = 0;
    std::uint64_t octet = 0;
    std::size_t i = 0;
    for (; i < scope.size() && scope[i] != '/'; ++i) {
        if (scope[i] == '.') {
            key = (key << 8) | octet;
            octet = 0;
        } else {
            octet = octet * 10 + static_cast<std::uint64_t>(scope[i] - '0');
        }
    }
    std::uint64_t prefix = i < scope.size() ? 0 : 33;
    for (++i; i < scope.size(); ++i)
        prefix = prefix * 10 + static_cast<std::uint64_t>(scope[i] - '0');
    return {(key << 8) | octet, prefix};
}

// The chunks of one series that overlap the window. The day bounds let SQLite walk the
// (series_id, day) index instead of every chunk of the series.
constexpr const char* kWindow =
    "series_id = ? AND day BETWEEN ? AND ? AND last_ts >= ? AND first_ts <= ?";

constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
constexpr auto kMax = std::numeric_limits<std::int64_t>::max();

// The days whose samples may fall in the filter's window.
std::int64_t first_day(const SeriesFilter& filter) {
    return filter.since == kMin ? kMin : chunk_day(filter.since);
}
std::int64_t last_day(const SeriesFilter& filter) {
    return filter.until == kMax ? kMax : chunk_day(filter.until);
}

bool inside(std::int64_t t, const SeriesFilter& filter) {
    return t >= filter.since && t <= filter.until;
}

void bind_window(SQLite::Statement& statement, const Series& series, const SeriesFilter& filter) {
    statement.bind(1, series.id);
    statement.bind(2, filter.since == kMin ? kMin : chunk_day(filter.since));
    statement.bind(3, filter.until);
    statement.bind(4, filter.since);
    statement.bind(5, filter.until);
}

}  // namespace

bool scope_less(const std::string& a, const std::string& b) {
    return scope_order(a) < scope_order(b);
}

// The relationship snapshots met so far, by id. Nodes of an unordered_map do not move, so
// a reference handed out stays valid while the cache lives.
class RelationshipCache {
  public:
    const Relationship& get(SQLite::Database& db, std::int64_t id) {
        const std::lock_guard lock(mutex_);
        auto it = by_id_.find(id);
        if (it != by_id_.end())
            return it->second;
        return by_id_.emplace(id, read_relationship(db, id)).first->second;
    }

  private:
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Relationship> by_id_;
};

SampleReader::SampleReader(SQLite::Database& db)
    : db_(db),
      head_(std::make_unique<HeadReader>(db)),
      relationships_(std::make_shared<RelationshipCache>()) {}

SampleReader::SampleReader(std::unique_ptr<SQLite::Database> own, const SampleReader& sibling)
    : own_(std::move(own)),
      db_(*own_),
      head_(std::make_unique<HeadReader>(db_)),
      relationships_(sibling.relationships_) {}

std::unique_ptr<SampleReader> SampleReader::sibling() {
    const std::string path = db_.getFilename();
    if (path.empty())  // in memory: no other connection sees it
        return nullptr;
    try {
        auto own =
            std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, kDefaultBusyTimeoutMs);
        // A walk reads each chunk once, in order: a small page cache serves it, and keeps
        // a query's memory from growing with the database by a cache per thread.
        own->exec("PRAGMA cache_size = -256");
        own->exec("BEGIN");
        if (!(write_mark(*own) == write_mark(db_)))
            return nullptr;
        return std::unique_ptr<SampleReader>(new SampleReader(std::move(own), *this));
    } catch (const SQLite::Exception&) {
        return nullptr;
    }
}

SampleReader::~SampleReader() = default;

std::vector<Series> SampleReader::series(const SeriesFilter& filter) {
    std::vector<Series> out;
    SQLite::Statement all(db_, "SELECT id, server, scope FROM series");
    while (all.executeStep()) {
        Series s{all.getColumn(0).getInt64(), all.getColumn(1).getString(),
                 all.getColumn(2).getString()};
        if (wanted(filter.servers, s.server) && wanted(filter.scopes, s.scope)) {
            out.push_back(std::move(s));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Series& a, const Series& b) {
        if (a.server != b.server)
            return a.server < b.server;
        return scope_less(a.scope, b.scope);
    });
    return out;
}

const Relationship& SampleReader::relationship(std::int64_t id) {
    return relationships_->get(db_, id);
}

Relationship read_relationship(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement find(db,
                           "SELECT name, mode, role, expected_share, state, source_state "
                           "FROM relationships WHERE id = ?");
    find.bind(1, id);
    if (!find.executeStep()) {
        throw StorageError("a sample refers to relationship " + std::to_string(id) +
                           ", which is not stored; the database is damaged");
    }
    Relationship r;
    r.name = find.getColumn(0).getString();
    r.mode = parse_mode(find.getColumn(1).getString()).value_or(Mode::load_balance);
    r.role = find.getColumn(2).getString();
    r.expected_share = find.getColumn(3).getDouble();
    r.state = normalise_state(find.getColumn(4).getString()).value_or(State::unknown);
    r.source_state = find.getColumn(5).getString();
    return r;
}

void SampleReader::for_each_stored(const Series& series, const SeriesFilter& filter,
                                   const std::function<void(const Point&)>& visit) {
    PointCursor points(*this, series, filter);
    while (const Point* p = points.next())
        visit(*p);
}

void SampleReader::for_each(const Series& series, const SeriesFilter& filter,
                            const std::function<void(const Sample&)>& visit) {
    Sample sample;
    sample.server = series.server;
    sample.scope = series.scope;
    const Relationship* current = nullptr;
    for_each_stored(series, filter, [&](const Point& p) {
        if (p.relationship != current) {
            sample.relationship = *p.relationship;
            current = p.relationship;
        }
        sample.timestamp = p.timestamp;
        sample.counters = p.counters;
        visit(sample);
    });
}

std::unique_ptr<SQLite::Statement> SampleReader::take_chunks() {
    if (free_chunks_.empty()) {
        return std::make_unique<SQLite::Statement>(
            db_, std::string("SELECT day, data FROM chunks WHERE ") + kWindow + " ORDER BY day");
    }
    std::unique_ptr<SQLite::Statement> statement = std::move(free_chunks_.back());
    free_chunks_.pop_back();
    return statement;
}

void SampleReader::give_back(std::unique_ptr<SQLite::Statement> statement) noexcept {
    constexpr std::size_t kKept = 4;
    // A statement whose last step failed reports it again on reset: let it go instead.
    if (!statement || free_chunks_.size() >= kKept || statement->tryReset() != SQLITE_OK)
        return;
    try {
        statement->clearBindings();
        free_chunks_.push_back(std::move(statement));
    } catch (...) {  // out of memory: the statement is finalized instead
    }
}

SQLite::Statement& SampleReader::prepared(std::unique_ptr<SQLite::Statement>& slot,
                                          const std::string& sql) {
    if (!slot) {
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

std::optional<Point> SampleReader::latest(const Series& series, const SeriesFilter& filter) {
    // The head's samples of a day are later than its chunk's; a later day may still be in a
    // chunk alone, so both are asked.
    std::optional<ChunkSample> best = newest_in_head(series, filter);
    SQLite::Statement& newest =
        prepared(latest_, std::string("SELECT day, data FROM chunks WHERE ") + kWindow +
                              " ORDER BY day DESC");
    bind_window(newest, series, filter);
    std::vector<ChunkSample> decoded;
    while (newest.executeStep()) {
        const std::int64_t day = newest.getColumn(0).getInt64();
        if (best && best->timestamp >= day + kChunkSeconds)
            break;
        const SQLite::Column data = newest.getColumn(1);
        decoded.clear();
        decode_chunk(day, blob_view(data), decoded);
        const auto c = std::find_if(decoded.rbegin(), decoded.rend(), [&](const ChunkSample& s) {
            return inside(s.timestamp, filter);
        });
        if (c != decoded.rend()) {
            if (!best || c->timestamp > best->timestamp)
                best = *c;
            break;
        }
    }
    if (!best)
        return std::nullopt;
    return Point{best->timestamp, &relationship(best->relationship_id), best->counters};
}

std::optional<ChunkSample> SampleReader::newest_in_head(const Series& series,
                                                        const SeriesFilter& filter) {
    const std::vector<std::int64_t> days = open_days(series, filter);
    std::vector<ChunkSample> decoded;
    for (auto day = days.rbegin(); day != days.rend(); ++day) {
        decoded.clear();
        head_samples(series.id, *day, decoded);
        const auto c = std::find_if(decoded.rbegin(), decoded.rend(), [&](const ChunkSample& s) {
            return inside(s.timestamp, filter);
        });
        if (c != decoded.rend())
            return *c;
    }
    return std::nullopt;
}

std::vector<std::int64_t> SampleReader::open_days(const Series& series,
                                                  const SeriesFilter& filter) {
    return head_->days(series.id, first_day(filter), last_day(filter));
}

std::optional<std::pair<std::int64_t, std::int64_t>> SampleReader::open_extent(
    const Series& series, const SeriesFilter& filter) {
    std::optional<std::pair<std::int64_t, std::int64_t>> out;
    std::vector<ChunkSample> decoded;
    for (std::int64_t day : open_days(series, filter)) {
        decoded.clear();
        head_samples(series.id, day, decoded);
        if (decoded.empty())
            continue;
        std::int64_t first = decoded.front().timestamp;
        SQLite::Statement& chunk =
            prepared(chunk_first_, "SELECT first_ts FROM chunks WHERE series_id = ? AND day = ?");
        chunk.bind(1, series.id);
        chunk.bind(2, day);
        if (chunk.executeStep())
            first = chunk.getColumn(0).getInt64();
        const std::int64_t last = decoded.back().timestamp;
        if (last < filter.since || first > filter.until)
            continue;
        out = out ? std::pair{std::min(out->first, first), std::max(out->second, last)}
                  : std::pair{first, last};
    }
    return out;
}

void SampleReader::head_samples(std::int64_t series_id, std::int64_t day,
                                std::vector<ChunkSample>& out) {
    head_->samples(series_id, day, out);
}

std::vector<Point> SampleReader::points(const Series& series, const SeriesFilter& filter) {
    std::vector<Point> out;
    points(series, filter, out);
    return out;
}

void SampleReader::points(const Series& series, const SeriesFilter& filter,
                          std::vector<Point>& out) {
    out.clear();
    SQLite::Statement count(
        db_, std::string("SELECT coalesce(sum(samples), 0) FROM chunks WHERE ") + kWindow);
    bind_window(count, series, filter);
    if (count.executeStep())
        out.reserve(static_cast<std::size_t>(count.getColumn(0).getInt64()));
    for_each_stored(series, filter, [&](const Point& p) { out.push_back(p); });
}

std::optional<SeriesSummary> SampleReader::summary(const Series& series,
                                                   const SeriesFilter& filter) {
    SQLite::Statement& chunks = prepared(
        summary_, std::string("SELECT id, day, first_ts, last_ts, samples FROM chunks WHERE ") +
                      kWindow + " ORDER BY day");
    bind_window(chunks, series, filter);
    SeriesSummary out;
    std::vector<ChunkSample> decoded;
    const auto add = [&](std::int64_t first, std::int64_t last, std::int64_t samples) {
        if (samples == 0)
            return;
        if (out.samples == 0)
            out.first = first;
        out.last = last;
        out.samples += samples;
    };
    while (chunks.executeStep()) {
        const std::int64_t first = chunks.getColumn(2).getInt64();
        const std::int64_t last = chunks.getColumn(3).getInt64();
        if (first >= filter.since && last <= filter.until) {
            add(first, last, chunks.getColumn(4).getInt64());
            continue;
        }
        // Cut by the window: count its samples inside it.
        SQLite::Statement& data = prepared(chunk_data_, "SELECT data FROM chunks WHERE id = ?");
        data.bind(1, chunks.getColumn(0).getInt64());
        if (!data.executeStep())
            continue;
        const SQLite::Column blob = data.getColumn(0);
        decoded.clear();
        decode_chunk(chunks.getColumn(1).getInt64(), blob_view(blob), decoded);
        data.reset();
        std::int64_t inside = 0, in_first = 0, in_last = 0;
        for (const ChunkSample& c : decoded) {
            if (c.timestamp < filter.since || c.timestamp > filter.until)
                continue;
            if (inside++ == 0)
                in_first = c.timestamp;
            in_last = c.timestamp;
        }
        add(in_first, in_last, inside);
    }
    // The head's samples, which the chunks' counts do not hold.
    for (std::int64_t day : open_days(series, filter)) {
        decoded.clear();
        head_samples(series.id, day, decoded);
        for (const ChunkSample& c : decoded) {
            if (!fostat::inside(c.timestamp, filter))
                continue;
            out.first = out.samples == 0 ? c.timestamp : std::min(out.first, c.timestamp);
            out.last = out.samples == 0 ? c.timestamp : std::max(out.last, c.timestamp);
            ++out.samples;
        }
    }
    if (out.samples == 0)
        return std::nullopt;
    return out;
}

bool SampleReader::has_pruned_day(const Series& series, const SeriesFilter& filter) {
    SQLite::Statement& pruned = prepared(
        pruned_, std::string("SELECT 1 FROM rollups WHERE raw_pruned_by IS NOT NULL AND ") +
                     kWindow + " LIMIT 1");
    bind_window(pruned, series, filter);
    return pruned.executeStep();
}

std::optional<std::int64_t> SampleReader::newest(const Series& series) {
    SQLite::Statement& newest =
        prepared(newest_,
                 // The last day holds the newest sample: one step down the (series_id,
                 // day) index of each table rather than a look at every day.
                 "SELECT max(t) FROM (SELECT (SELECT last_ts FROM chunks WHERE series_id = ?1 "
                 "ORDER BY day DESC LIMIT 1) AS t UNION ALL SELECT (SELECT last_ts FROM "
                 "rollups WHERE series_id = ?1 ORDER BY day DESC LIMIT 1))");
    newest.bind(1, series.id);
    std::optional<std::int64_t> out;
    if (newest.executeStep() && !newest.getColumn(0).isNull())
        out = newest.getColumn(0).getInt64();
    if (const auto head = newest_in_head(series, SeriesFilter{}))
        out = std::max(out.value_or(head->timestamp), head->timestamp);
    return out;
}

std::vector<ServerNewest> SampleReader::newest_by_server(const SeriesFilter& filter) {
    std::vector<ServerNewest> out;
    for (const Series& s : series(filter)) {  // by server
        const auto t = newest(s);
        if (!t)
            continue;
        if (out.empty() || out.back().server != s.server)
            out.push_back({s.server, *t});
        else
            out.back().newest = std::max(out.back().newest, *t);
    }
    return out;
}

namespace {

std::vector<std::string> distinct(SQLite::Database& db, const char* sql) {
    std::vector<std::string> out;
    SQLite::Statement statement(db, sql);
    while (statement.executeStep())
        out.push_back(statement.getColumn(0).getString());
    return out;
}

}  // namespace

std::vector<std::string> SampleReader::stored_servers() {
    return distinct(db_, "SELECT DISTINCT server FROM series ORDER BY server");
}

std::vector<std::string> SampleReader::stored_scopes() {
    std::vector<std::string> scopes = distinct(db_, "SELECT DISTINCT scope FROM series");
    std::sort(scopes.begin(), scopes.end(), scope_less);
    return scopes;
}

PointCursor::PointCursor(SampleReader& reader, const Series& series, const SeriesFilter& filter)
    : reader_(reader),
      chunks_(reader.take_chunks()),
      series_id_(series.id),
      since_(filter.since),
      until_(filter.until) {
    try {
        bind_window(*chunks_, series, filter);
        head_days_ = reader.open_days(series, filter);
    } catch (...) {
        reader_.give_back(std::move(chunks_));
        throw;
    }
}

PointCursor::~PointCursor() {
    reader_.give_back(std::move(chunks_));
}

const Point& PointCursor::settle(std::int64_t relationship_id) {
    if (relationship_id != current_id_) {
        point_.relationship = &reader_.relationship(relationship_id);
        current_id_ = relationship_id;
    }
    return point_;
}

const Point* PointCursor::next() {
    for (;;) {
        // The day's chunk, straight from the blob; then its head samples, which are later.
        std::int64_t relationship_id = 0;
        while (chunk_.next(point_.timestamp, relationship_id, point_.counters)) {
            if (point_.timestamp >= since_ && point_.timestamp <= until_)
                return &settle(relationship_id);
        }
        while (at_ < head_samples_.size()) {
            const ChunkSample& c = head_samples_[at_++];
            if (c.timestamp < since_ || c.timestamp > until_)
                continue;
            point_.timestamp = c.timestamp;
            point_.counters = c.counters;
            return &settle(c.relationship_id);
        }
        // The next day. The chunk decoder read the row's blob, which the step frees: it is
        // done with it by now.
        if (!row_pending_ && !rows_done_) {
            row_pending_ = chunks_->executeStep();
            rows_done_ = !row_pending_;
        }
        const std::int64_t chunk_day = row_pending_ ? chunks_->getColumn(0).getInt64()
                                                    : std::numeric_limits<std::int64_t>::max();
        const bool head_left = next_head_day_ < head_days_.size();
        if (!row_pending_ && !head_left)
            return nullptr;
        const std::int64_t day =
            head_left ? std::min(chunk_day, head_days_[next_head_day_]) : chunk_day;
        head_samples_.clear();
        at_ = 0;
        if (row_pending_ && chunk_day == day) {
            const SQLite::Column data = chunks_->getColumn(1);
            chunk_ = ChunkDecoder(day, blob_view(data));
            row_pending_ = false;
        }
        if (head_left && head_days_[next_head_day_] == day) {
            reader_.head_samples(series_id_, day, head_samples_);
            ++next_head_day_;
        }
    }
}

}  // namespace fostat
