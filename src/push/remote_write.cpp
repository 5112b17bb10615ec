#include "push/remote_write.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "push/write_request.h"
#include "storage/database.h"
#include "storage/sample_reader.h"

namespace fostat {
namespace {

using Clock = std::chrono::steady_clock;

// The backlog is read from storage an hour of samples at a time, all servers of the run
// together, so that it goes out in time order without holding a long outage in memory.
constexpr std::int64_t kSliceSeconds = 3600;

HttpOptions with_protocol_headers(HttpOptions http) {
    // The remote-write protocol 1.0's request headers.
    http.headers.insert(http.headers.end(),
                        {"Content-Type: application/x-protobuf", "Content-Encoding: snappy",
                         "X-Prometheus-Remote-Write-Version: 0.1.0"});
    if (http.refused_hint.empty())
        http.refused_hint = "is the receiver listening there?";
    return http;
}

bool by_time(const Sample& a, const Sample& b) {
    return a.timestamp < b.timestamp;
}

// newest[server] = max(newest[server], t), where a server without one takes t.
void keep_newest(std::map<std::string, std::int64_t>& newest, const std::string& server,
                 std::int64_t t) {
    const auto [at, inserted] = newest.try_emplace(server, t);
    if (!inserted)
        at->second = std::max(at->second, t);
}

// Sends the samples it is given, in requests of options.request_samples, and keeps what
// the push did.
class Sender {
  public:
    Sender(HttpClient& client, const RemoteWriteOptions& options, Clock::time_point deadline)
        : client_(client), options_(options), deadline_(deadline) {}

    // Adds `sample`, sending a full request first. False once the push has stopped.
    bool add(const Sample& sample) {
        if (stopped_)
            return false;
        if (batch_.samples() >= options_.request_samples && !send())
            return false;
        if (batch_.empty())
            batch_first_ = sample.timestamp;
        batch_.add(sample);
        keep_newest(batch_newest_, sample.server, sample.timestamp);
        return true;
    }

    // Sends what remains. False when the push stopped.
    bool finish() { return !stopped_ && (batch_.empty() || send()); }

    // Stops the push once its time is up, the samples from `next` on not sent (nor any
    // waiting in the batch). For a reader that may go through hours without a sample.
    bool out_of_time(std::int64_t next) {
        if (stopped_ || Clock::now() < deadline_)
            return stopped_;
        if (batch_.empty())
            batch_first_ = next;
        return !stop(too_long());
    }

    // The time of the first sample not sent, once the push has stopped.
    std::optional<std::int64_t> stopped_at() const {
        return stopped_ ? std::optional(batch_first_) : std::nullopt;
    }
    const std::map<std::string, std::int64_t>& newest_sent() const { return newest_sent_; }
    PushOutcome& outcome() { return outcome_; }

  private:
    bool send() {
        if (Clock::now() >= deadline_)
            return stop(too_long());
        const std::string body = batch_.body();
        for (int attempt = 0;; ++attempt) {
            bool retry = true;
            std::string failure;
            try {
                const HttpReply reply = client_.post(body);
                if (reply.status >= 200 && reply.status < 300) {
                    outcome_.bytes += body.size();
                    sent(false);
                    return true;
                }
                failure = "HTTP " + std::to_string(reply.status);
                if (!reply.reason.empty())
                    failure += " " + reply.reason;
                if (!reply.body.empty())
                    failure += ": " + one_line(reply.body);
                if (reply.status == 400) {
                    // The receiver refuses these samples (out of order, too old): sending them
                    // again would be refused again and hold up every later sample.
                    ++outcome_.record.failures;
                    outcome_.record.message = failure + " (" + std::to_string(batch_.samples()) +
                                              " samples refused, not sent again)";
                    sent(true);
                    return true;
                }
                retry = reply.status >= 500 || reply.status == 429;
            } catch (const HttpFailure& e) {
                failure = e.what();
            } catch (const InputError& e) {
                // The bearer token file, read for each request, is gone or unusable: no retry
                // mends that, and what was not sent waits for the next run.
                ++outcome_.record.failures;
                return stop(e.what());
            }
            ++outcome_.record.failures;
            if (!retry || attempt >= options_.retries)
                return stop(failure);
            const std::chrono::milliseconds pause(1000LL << std::min(attempt, 5));
            if (Clock::now() + pause >= deadline_)
                return stop(failure + "; no time left for another attempt within " +
                            duration_text(options_.max_time));
            if (!options_.wait(pause))
                return stop(failure + "; the collector was asked to stop");
        }
    }

    void sent(bool refused) {
        if (refused)
            outcome_.refused += batch_.samples();
        else
            outcome_.record.pushed += static_cast<std::int64_t>(batch_.samples());
        for (const auto& [server, newest] : batch_newest_)
            keep_newest(newest_sent_, server, newest);
        batch_.clear();
        batch_newest_.clear();
    }

    std::string too_long() const {
        return "the push took longer than its " + duration_text(options_.max_time) +
               "; the rest waits for the next run";
    }

    bool stop(const std::string& why) {
        outcome_.record.message = why;
        stopped_ = true;
        return false;
    }

    HttpClient& client_;
    const RemoteWriteOptions& options_;
    Clock::time_point deadline_;
    WriteBatch batch_;
    std::int64_t batch_first_ = 0;
    std::map<std::string, std::int64_t> batch_newest_;
    std::map<std::string, std::int64_t> newest_sent_;
    bool stopped_ = false;
    PushOutcome outcome_;
};

// Feeds `sender` every stored sample of the servers in `from` at or after the server's time,
// in time order, an hour at a time.
void send_stored(SQLite::Database& db, const std::map<std::string, std::int64_t>& from,
                 Sender& sender) {
    SeriesFilter all;
    for (const auto& [server, _] : from)
        all.servers.push_back(server);
    std::int64_t start = std::numeric_limits<std::int64_t>::max();
    for (const auto& [_, t] : from)
        start = std::min(start, t);
    std::int64_t newest = std::numeric_limits<std::int64_t>::min();
    {
        ReadTransaction read(db);
        for (const ServerNewest& n : SampleReader(db).newest_by_server(all))
            newest = std::max(newest, n.newest);
    }
    std::vector<Sample> slice;
    for (std::int64_t t = start; t <= newest; t += kSliceSeconds) {
        if (sender.out_of_time(t))
            return;
        slice.clear();
        {
            ReadTransaction read(db);
            SampleReader reader(db);
            for (const auto& [server, first] : from) {
                SeriesFilter filter;
                filter.servers = {server};
                filter.since = std::max(t, first);
                filter.until = t + kSliceSeconds - 1;
                if (filter.since > filter.until)
                    continue;
                for (const Series& series : reader.series(filter))
                    reader.for_each(series, filter, [&](const Sample& s) { slice.push_back(s); });
            }
        }
        std::stable_sort(slice.begin(), slice.end(), by_time);
        for (const Sample& s : slice) {
            if (!sender.add(s))
                return;
        }
    }
}

}  // namespace

void RunCapture::add(const Sample& sample) {
    next_.add(sample);
    const auto [at, inserted] = earliest_.try_emplace(sample.server, sample.timestamp);
    if (!inserted)
        at->second = std::min(at->second, sample.timestamp);
    if (overflowed_)
        return;
    if (kept_.size() == max_kept_) {
        overflowed_ = true;
        kept_ = {};
        return;
    }
    kept_.push_back(sample);
}

RemoteWriter::RemoteWriter(RemoteWriteOptions options)
    : options_(std::move(options)), client_(with_protocol_headers(options_.http)) {
    if (!options_.wait) {
        options_.wait = [](std::chrono::milliseconds pause) {
            std::this_thread::sleep_for(pause);
            return true;
        };
    }
}

PushOutcome RemoteWriter::push(SQLite::Database& db, std::int64_t run_id, const RunCapture& run) {
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline = start + options_.max_time;
    const std::map<std::string, PushMark> marks = read_push_marks(db, endpoint());

    // Where each server's samples to send begin: where an earlier push stopped, else after
    // the newest sent, else (a server new to this endpoint) at the run's own.
    std::map<std::string, std::int64_t> from;
    bool backlog = run.kept() == nullptr;
    for (const auto& [server, earliest] : run.earliest()) {
        std::int64_t first = earliest;
        if (const auto mark = marks.find(server); mark != marks.end()) {
            if (mark->second.unsent_from) {
                first = std::min(first, *mark->second.unsent_from);
                backlog = true;
            } else if (mark->second.sent_through) {
                first = std::max(first, *mark->second.sent_through + 1);
            }
        }
        from[server] = first;
    }

    // Until the push is over, what it sends counts as not sent: a collector killed while it
    // pushes, or a database that refuses the marks afterwards, leaves the samples for the
    // next run rather than skipped.
    {
        SQLite::Transaction pending(db, SQLite::TransactionBehavior::IMMEDIATE);
        for (const auto& [server, first] : from) {
            PushMark mark;
            if (const auto old = marks.find(server); old != marks.end())
                mark = old->second;
            if (!mark.unsent_from) {
                mark.unsent_from = first;
                write_push_mark(db, endpoint(), server, mark);
            }
        }
        pending.commit();
    }

    Sender sender(client_, options_, deadline);
    if (backlog) {
        send_stored(db, from, sender);
    } else {
        std::vector<const Sample*> pending;
        for (const Sample& s : *run.kept()) {
            if (s.timestamp >= from.at(s.server))
                pending.push_back(&s);
        }
        std::stable_sort(pending.begin(), pending.end(),
                         [](const Sample* a, const Sample* b) { return by_time(*a, *b); });
        for (const Sample* s : pending) {
            if (!sender.add(*s))
                break;
        }
    }
    sender.finish();

    PushOutcome outcome = std::move(sender.outcome());
    const std::optional<std::int64_t> stopped_at = sender.stopped_at();
    outcome.complete = !stopped_at;
    SQLite::Transaction write(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& [server, first] : from) {
        PushMark mark;
        if (const auto old = marks.find(server); old != marks.end())
            mark.sent_through = old->second.sent_through;
        if (const auto sent = sender.newest_sent().find(server); sent != sender.newest_sent().end())
            mark.sent_through = std::max(mark.sent_through.value_or(sent->second), sent->second);
        // Everything before the first sample not sent went out (the samples went in time
        // order); a sample at that very time may have, and is sent again, which a receiver
        // takes as the same sample.
        if (stopped_at)
            mark.unsent_from = std::max(first, *stopped_at);
        write_push_mark(db, endpoint(), server, mark);
    }
    record_push(db, run_id, outcome.record);
    write.commit();
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return outcome;
}

}  // namespace fostat
