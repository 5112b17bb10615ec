#include "push/remote_write.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fake_http.h"
#include "push/write_request.h"
#include "src/push/remote_write.pb.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;

prompb::WriteRequest decoded(const std::string& body) {
    prompb::WriteRequest request;
    EXPECT_TRUE(request.ParseFromString(uncompressed(body)));
    return request;
}

std::string label(const prompb::TimeSeries& series, const std::string& name) {
    for (const prompb::Label& l : series.labels())
        if (l.name() == name)
            return l.value();
    return "(none)";
}

TEST(WriteBatch, EachMetricOfASampleIsASeriesWithSortedLabelsAndMilliseconds) {
    Sample a = sample_at(1'700'000'000);
    a.relationship.name = "";  // not named by its source: no label, not an empty one
    a.relationship.state = State::normal;
    a.counters[Counter::this_addr_in_use] = std::nullopt;  // NULL: no sample
    Sample b = a;
    b.timestamp += 300;
    b.counters[Counter::addr_in_use] = 200;
    WriteBatch batch;
    batch.add(a);
    batch.add(b);
    // 6 counters, the utilization and the expected share, twice.
    EXPECT_EQ(batch.samples(), 16u);

    const prompb::WriteRequest request = decoded(batch.body());
    ASSERT_EQ(request.timeseries_size(), 8);
    for (const prompb::TimeSeries& series : request.timeseries()) {
        std::vector<std::string> names;
        for (const prompb::Label& l : series.labels())
            names.push_back(l.name());
        EXPECT_EQ(names,
                  (std::vector<std::string>{"__name__", "mode", "scope", "server", "state"}));
        EXPECT_EQ(label(series, "server"), "dhcp1");
        EXPECT_EQ(label(series, "state"), "normal");
        EXPECT_EQ(label(series, "mode"), "load-balance");
        ASSERT_EQ(series.samples_size(), 2);
        EXPECT_EQ(series.samples(0).timestamp(), 1'700'000'000'000);
        EXPECT_EQ(series.samples(1).timestamp(), 1'700'000'300'000);
        EXPECT_NE(label(series, "__name__"), "fostat_scope_addresses_in_use_this");
        if (label(series, "__name__") == "fostat_scope_addresses_in_use") {
            EXPECT_EQ(series.samples(0).value(), 134);
            EXPECT_EQ(series.samples(1).value(), 200);
        }
        if (label(series, "__name__") == "fostat_scope_utilization_ratio")
            EXPECT_DOUBLE_EQ(series.samples(1).value(), 200.0 / 254);
        if (label(series, "__name__") == "fostat_scope_expected_share_ratio")
            EXPECT_DOUBLE_EQ(series.samples(0).value(), 0.5);
    }
    batch.clear();
    EXPECT_TRUE(batch.empty());
    EXPECT_EQ(decoded(batch.body()).timeseries_size(), 0);
    EXPECT_THROW(uncompressed("not snappy at all"), std::runtime_error);
}

// A database, and runs stored and pushed as the collector does.
class RemoteWriterTest : public ::testing::Test {
  protected:
    RemoteWriterTest() : db_(open_database(dir_.file("t.db"), Access::read_write)) {}

    // Stores `samples` as one run and pushes it to `url`.
    PushOutcome run(const std::vector<Sample>& samples, const std::string& url,
                    RemoteWriteOptions options = {}) {
        test::VectorSink next;
        RunCapture capture(next, 1000);
        for (const Sample& s : samples)
            capture.add(s);
        const RunSummary summary = test::store(*db_, samples);
        options.http.url = url + "api/v1/write";
        options.wait = [this](std::chrono::milliseconds pause) {
            pauses.push_back(pause);
            return true;
        };
        RemoteWriter writer(options);
        return writer.push(*db_, summary.run_id, capture);
    }

    std::map<std::string, PushMark> marks(const std::string& url) {
        return read_push_marks(*db_, url + "api/v1/write");
    }

    // The metric samples the requests carried, by time.
    static std::map<std::int64_t, int> received(const FakeHttpServer& server) {
        std::map<std::int64_t, int> by_time;
        for (const HttpRequest& r : server.requests()) {
            const prompb::WriteRequest request = decoded(r.body);
            for (const prompb::TimeSeries& series : request.timeseries())
                for (const prompb::Sample& s : series.samples())
                    ++by_time[s.timestamp() / 1000];
        }
        return by_time;
    }

    test::TempDir dir_;
    std::unique_ptr<SQLite::Database> db_;
    std::vector<std::chrono::milliseconds> pauses;
};

const std::string k204 = http_response("HTTP/1.1 204 No Content", "");
const std::string k503 = http_response("HTTP/1.1 503 Service Unavailable", "overloaded");

TEST_F(RemoteWriterTest, SendsTheRunWithTheProtocolsHeadersAndKeepsTheMark) {
    FakeHttpServer receiver(k204);
    const PushOutcome outcome =
        run({sample_at(1000), sample_at(1000, "dhcp2"), sample_at(1300)}, receiver.url());
    EXPECT_TRUE(outcome.complete);
    EXPECT_EQ(outcome.record.pushed, 27);
    EXPECT_EQ(outcome.record.failures, 0);
    ASSERT_EQ(receiver.requests().size(), 1u);
    const HttpRequest r = receiver.requests()[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/api/v1/write");
    EXPECT_EQ(r.header("content-encoding"), "snappy");
    EXPECT_EQ(r.header("content-type"), "application/x-protobuf");
    EXPECT_EQ(r.header("x-prometheus-remote-write-version"), "0.1.0");
    EXPECT_EQ(received(receiver), (std::map<std::int64_t, int>{{1000, 18}, {1300, 9}}));
    EXPECT_EQ(marks(receiver.url())["dhcp1"], (PushMark{1300, std::nullopt}));
    EXPECT_EQ(marks(receiver.url())["dhcp2"], (PushMark{1000, std::nullopt}));
    SQLite::Statement row(*db_, "SELECT pushed, push_failures, push_message FROM runs");
    ASSERT_TRUE(row.executeStep());
    EXPECT_EQ(row.getColumn(0).getInt64(), 27);
    EXPECT_EQ(row.getColumn(1).getInt64(), 0);
    EXPECT_TRUE(row.getColumn(2).isNull());
}

TEST_F(RemoteWriterTest, RetriesA503AfterAPauseAndCountsTheFailure) {
    FakeHttpServer receiver(std::vector<std::string>{k503, k204});
    RemoteWriteOptions options;
    options.retries = 1;
    const PushOutcome outcome = run({sample_at(1000)}, receiver.url(), options);
    EXPECT_TRUE(outcome.complete);
    EXPECT_EQ(outcome.record.pushed, 9);
    EXPECT_EQ(outcome.record.failures, 1);
    EXPECT_EQ(pauses, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(1)}));
    EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST_F(RemoteWriterTest, AFailedPushLeavesTheRunsSamplesWaiting) {
    FakeHttpServer down(k503);
    RemoteWriteOptions options;
    options.retries = 2;
    const PushOutcome failed =
        run({sample_at(2000), sample_at(2000, "dhcp2")}, down.url(), options);
    EXPECT_FALSE(failed.complete);
    EXPECT_EQ(failed.record.pushed, 0);
    EXPECT_EQ(failed.record.failures, 3);  // the first attempt and two retries
    EXPECT_EQ(pauses, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(1),
                                                              std::chrono::seconds(2)}));
    EXPECT_NE(failed.record.message.find("HTTP 503 Service Unavailable: overloaded"),
              std::string::npos)
        << failed.record.message;
    EXPECT_EQ(marks(down.url())["dhcp1"], (PushMark{std::nullopt, 2000}));
    const PushOutcome again = run({sample_at(2300)}, down.url(), options);
    EXPECT_FALSE(again.complete);
    EXPECT_EQ(marks(down.url())["dhcp1"], (PushMark{std::nullopt, 2000}));
    EXPECT_EQ(marks(down.url())["dhcp2"], (PushMark{std::nullopt, 2000}));
}

TEST_F(RemoteWriterTest, AReceiverThatIsGoneIsReportedAsSuch) {
    std::string url;
    {
        FakeHttpServer gone(k204);
        url = gone.url();
    }
    RemoteWriteOptions options;
    options.retries = 0;
    const PushOutcome outcome = run({sample_at(1000)}, url, options);
    EXPECT_FALSE(outcome.complete);
    EXPECT_NE(outcome.record.message.find("connection refused (is the receiver listening there?)"),
              std::string::npos)
        << outcome.record.message;
}

TEST_F(RemoteWriterTest, TheBacklogGoesFromStorageInTimeOrderOnceTheReceiverIsBack) {
    // Run 1's two requests are taken; runs 2 and 3 each fail at their first request; run 4's
    // are all taken.
    FakeHttpServer receiver(std::vector<std::string>{k204, k204, k503, k503, k204});
    RemoteWriteOptions options;
    options.retries = 0;
    options.request_samples = 9;  // a request per sample, so that the order shows
    const std::string url = receiver.url();
    EXPECT_TRUE(run({sample_at(1000), sample_at(1000, "dhcp2")}, url, options).complete);
    EXPECT_FALSE(run({sample_at(1300, "dhcp2"), sample_at(1300)}, url, options).complete);
    EXPECT_FALSE(run({sample_at(1600)}, url, options).complete);
    EXPECT_EQ(marks(url)["dhcp1"], (PushMark{1000, 1300}));
    EXPECT_EQ(marks(url)["dhcp2"], (PushMark{1000, 1300}));
    // Run 4 is of dhcp1 alone: it sends dhcp1's backlog, not dhcp2's (dhcp2's collector will).
    const PushOutcome back = run({sample_at(1900)}, url, options);
    EXPECT_TRUE(back.complete);
    EXPECT_EQ(back.record.pushed, 27);
    std::vector<std::int64_t> times;
    const std::vector<HttpRequest> requests = receiver.requests();
    for (std::size_t i = 4; i < requests.size(); ++i)
        times.push_back(decoded(requests[i].body).timeseries(0).samples(0).timestamp() / 1000);
    EXPECT_EQ(times, (std::vector<std::int64_t>{1300, 1600, 1900}));
    EXPECT_EQ(marks(url)["dhcp1"], (PushMark{1900, std::nullopt}));
    EXPECT_EQ(marks(url)["dhcp2"], (PushMark{1000, 1300}));
    EXPECT_TRUE(pauses.empty());  // no retry asked for
}

TEST_F(RemoteWriterTest, ABadRequestIsDroppedAndTheRestSent) {
    FakeHttpServer receiver(std::vector<std::string>{
        http_response("HTTP/1.1 400 Bad Request", "out of order sample"), k204});
    RemoteWriteOptions options;
    options.request_samples = 9;
    const PushOutcome outcome = run({sample_at(1000), sample_at(1300)}, receiver.url(), options);
    EXPECT_TRUE(outcome.complete);
    EXPECT_EQ(outcome.refused, 9u);
    EXPECT_EQ(outcome.record.pushed, 9);
    EXPECT_EQ(outcome.record.failures, 1);
    EXPECT_NE(outcome.record.message.find("HTTP 400 Bad Request: out of order sample (9 samples "
                                          "refused, not sent again)"),
              std::string::npos)
        << outcome.record.message;
    EXPECT_EQ(marks(receiver.url())["dhcp1"], (PushMark{1300, std::nullopt}));
}

TEST_F(RemoteWriterTest, AnUnauthorizedPushKeepsItsSamplesAndDoesNotRetry) {
    FakeHttpServer receiver(http_response("HTTP/1.1 401 Unauthorized", ""));
    const PushOutcome outcome = run({sample_at(1000)}, receiver.url());
    EXPECT_FALSE(outcome.complete);
    EXPECT_EQ(outcome.record.failures, 1);
    EXPECT_EQ(outcome.record.message, "HTTP 401 Unauthorized");
    EXPECT_EQ(marks(receiver.url())["dhcp1"], (PushMark{std::nullopt, 1000}));
    EXPECT_TRUE(pauses.empty());
}

// A secret file readable by its owner only, as the options want.
std::string secret_file(const test::TempDir& dir, const std::string& name,
                        const std::string& text) {
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return path;
}

TEST_F(RemoteWriterTest, WhileAPushIsUnderWayItsSamplesCountAsWaiting) {
    // The second push fails once: the pause before its retry shows the marks mid-push, as a
    // collector killed then would leave them.
    FakeHttpServer flaky(std::vector<std::string>{k204, k503, k204});
    run({sample_at(1000)}, flaky.url());
    ASSERT_EQ(marks(flaky.url())["dhcp1"], (PushMark{1000, std::nullopt}));
    std::optional<PushMark> during;
    RemoteWriteOptions options;
    options.retries = 1;
    const std::string url = flaky.url();
    test::VectorSink next;
    RunCapture capture(next, 10);
    capture.add(sample_at(1300));
    const RunSummary summary = test::store(*db_, next.samples);
    options.http.url = url + "api/v1/write";
    options.wait = [&](std::chrono::milliseconds) {
        during = marks(url)["dhcp1"];
        return true;
    };
    const PushOutcome outcome = RemoteWriter(options).push(*db_, summary.run_id, capture);
    EXPECT_TRUE(outcome.complete);
    ASSERT_TRUE(during);
    EXPECT_EQ(*during, (PushMark{1000, 1300}));
    EXPECT_EQ(marks(url)["dhcp1"], (PushMark{1300, std::nullopt}));
}

TEST_F(RemoteWriterTest, APushOutOfTimeLeavesTheRestForTheNextRun) {
    FakeHttpServer receiver(k204);
    RemoteWriteOptions options;
    options.max_time = std::chrono::milliseconds(0);
    const PushOutcome late = run({sample_at(1000), sample_at(1300)}, receiver.url(), options);
    EXPECT_FALSE(late.complete);
    EXPECT_EQ(late.record.message,
              "the push took longer than its 0 s; the rest waits for the "
              "next run");
    EXPECT_TRUE(receiver.requests().empty());
    EXPECT_EQ(marks(receiver.url())["dhcp1"], (PushMark{std::nullopt, 1000}));
    // The next run, in time, sends both runs' samples; and the backlog read from storage
    // stops as well when its time is up.
    const PushOutcome next = run({sample_at(1600)}, receiver.url());
    EXPECT_TRUE(next.complete);
    EXPECT_EQ(next.record.pushed, 27);
    const PushOutcome late_backlog = [&] {
        run({sample_at(1900)}, receiver.url(), options);  // leaves 1900 waiting
        return run({sample_at(2200)}, receiver.url(), options);
    }();
    EXPECT_FALSE(late_backlog.complete);
    EXPECT_EQ(marks(receiver.url())["dhcp1"], (PushMark{1600, 1900}));
}

TEST_F(RemoteWriterTest, SendsBasicAuthenticationOrABearerTokenFromItsFile) {
    FakeHttpServer receiver(k204);
    RemoteWriteOptions basic;
    basic.http.auth_file = secret_file(dir_, "auth", "fostat:s3cret\n");
    run({sample_at(1000)}, receiver.url(), basic);
    RemoteWriteOptions bearer;
    bearer.http.bearer_file = secret_file(dir_, "token", "t0ken-of.the_site \r\n");
    run({sample_at(1300)}, receiver.url(), bearer);
    ASSERT_EQ(receiver.requests().size(), 2u);
    EXPECT_EQ(receiver.requests()[0].header("authorization"), "Basic Zm9zdGF0OnMzY3JldA==");
    EXPECT_EQ(receiver.requests()[1].header("authorization"), "Bearer t0ken-of.the_site");

    RemoteWriteOptions both = basic;
    both.http.url = receiver.url();
    both.http.bearer_file = bearer.http.bearer_file;
    EXPECT_THROW(RemoteWriter{both}, InputError);
    RemoteWriteOptions empty;
    empty.http.url = receiver.url();
    empty.http.bearer_file = secret_file(dir_, "empty", "\n");
    EXPECT_THROW(RemoteWriter{empty}, InputError);
}

TEST(HttpClient, ARotatedBearerTokenIsSentFromTheNextRequestOn) {
    test::TempDir dir;
    FakeHttpServer receiver(k204);
    HttpOptions options;
    options.url = receiver.url();
    options.bearer_file = secret_file(dir, "token", "first\n");
    HttpClient client(options);
    EXPECT_EQ(client.post("a").status, 204);
    secret_file(dir, "token", "second\n");
    EXPECT_EQ(client.post("b").status, 204);
    const std::vector<HttpRequest> requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("authorization"), "Bearer first");
    EXPECT_EQ(requests[1].header("authorization"), "Bearer second");
    EXPECT_EQ(receiver.connections(), 1);  // the same connection, kept alive
}

TEST(RemoteWriter, RefusesABadUrlOrSecretAtOnce) {
    test::TempDir dir;
    RemoteWriteOptions options;
    options.http.url = "ftp://example.invalid/";
    EXPECT_THROW(RemoteWriter{options}, InputError);
    options.http.url = "http://127.0.0.1:9/";
    options.http.bearer_file = dir.file("missing");
    EXPECT_THROW(RemoteWriter{options}, InputError);
}

}  // namespace
}  // namespace fostat
