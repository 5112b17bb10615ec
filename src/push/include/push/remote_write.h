// fostat-collect --remote-write (docs/metrics.md, "Pushed after each run"): once a run has
// committed, its samples, and any its servers' samples that earlier pushes could not send,
// go to a Prometheus remote-write receiver, in time order. How far each server's samples have
// been sent is stored per endpoint (storage/remote_write.h), so a receiver that was down
// gets what it missed from the next run. A failed push never touches the stored samples.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fostat/sample_sink.h"
#include "net/http.h"
#include "storage/remote_write.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

struct RemoteWriteOptions {
    HttpOptions http;  // the receiver's URL, authentication, TLS and the timeout of a request
    // Attempts after the first for one request, after a failed transfer, a 5xx or a 429.
    int retries = 3;
    // The whole push of a run, waits included: past it, what is not sent waits for the next.
    std::chrono::milliseconds max_time{60'000};
    // Metric samples in one request at most (Prometheus' own max_samples_per_send).
    std::size_t request_samples = 2'000;
    // Waits before a retry; false when the collector is asked to stop. Default: sleeps.
    std::function<bool(std::chrono::milliseconds)> wait;
};

// Passes a run's samples on and keeps them for its push: up to `max_kept` in memory (beyond,
// the push reads the run's samples back from storage), and each server's earliest time.
// `next` is used only while the run adds samples; what was kept outlives it.
class RunCapture : public SampleSink {
  public:
    RunCapture(SampleSink& next, std::size_t max_kept) : next_(next), max_kept_(max_kept) {}
    void add(const Sample& sample) override;
    void note(const std::string& remark) override { next_.note(remark); }

    // Each server of the run and the time of its earliest sample.
    const std::map<std::string, std::int64_t>& earliest() const { return earliest_; }
    // The samples, when the run brought no more than max_kept; else nullptr.
    const std::vector<Sample>* kept() const { return overflowed_ ? nullptr : &kept_; }

  private:
    SampleSink& next_;
    std::size_t max_kept_;
    bool overflowed_ = false;
    std::vector<Sample> kept_;
    std::map<std::string, std::int64_t> earliest_;
};

struct PushOutcome {
    PushRecord record;        // as stored on the run's row
    std::size_t refused = 0;  // metric samples the receiver refused (HTTP 400): not sent again
    bool complete = false;    // nothing of the run's servers waits
    std::size_t bytes = 0;    // the bodies of the requests the receiver took
    double seconds = 0;       // the push's time, from the marks read to the marks written
};

class RemoteWriter {
  public:
    // Throws InputError for a URL or a file of the options that cannot be used.
    explicit RemoteWriter(RemoteWriteOptions options);

    const std::string& endpoint() const { return client_.url(); }

    // Sends what run `run_id` brought (`run`) and what waits of its servers, then stores the
    // marks and the run's push record in a transaction of their own. Before it sends, the
    // marks say the run's samples wait, so that a push cut short (the collector killed)
    // leaves them to the next run. The receiver's failures
    // are in the outcome, not thrown; a database error is thrown (SQLite::Exception).
    PushOutcome push(SQLite::Database& db, std::int64_t run_id, const RunCapture& run);

  private:
    RemoteWriteOptions options_;
    HttpClient client_;
};

}  // namespace fostat
