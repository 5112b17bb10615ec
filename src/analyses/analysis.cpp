#include "analyses/analysis.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "fostat/error.h"

namespace fostat {

std::string_view to_string(Severity severity) {
    switch (severity) {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::critical:
            return "critical";
    }
    return "unknown";
}

Severity parse_severity(std::string_view text) {
    if (text == "info")
        return Severity::info;
    if (text == "warning")
        return Severity::warning;
    if (text == "critical")
        return Severity::critical;
    throw InputError(excerpt(text) + " is not one of info, warning, critical");
}

int exit_status(std::optional<Severity> worst) {
    if (!worst || *worst == Severity::info)
        return kExitOk;
    return *worst == Severity::warning ? kExitWarning : kExitCritical;
}

void EpisodeBuilder::flagged(const Point& point, double difference) {
    if (!open_) {
        open_ = Episode{point.timestamp, point.timestamp, 0, difference, point};
    }
    Episode& e = *open_;
    e.last = point.timestamp;
    ++e.samples;
    if (difference > e.worst) {
        e.worst = difference;
        e.at_worst = point;
    }
}

void EpisodeBuilder::passed() {
    if (open_)
        done_.push_back(*open_);
    open_.reset();
}

std::vector<Episode> EpisodeBuilder::finish() {
    passed();
    return std::move(done_);
}

std::int64_t IntervalCounter::usual() const {
    // The step at index count / 2 of the sorted steps.
    std::int64_t count = 0;
    for (const auto& [step, n] : steps_)
        count += n;
    if (count == 0)
        return 0;
    std::int64_t seen = 0;
    for (const auto& [step, n] : steps_) {
        seen += n;
        if (seen > count / 2)
            return step;
    }
    return 0;
}

std::vector<ScopeSeries> scopes_of(SampleReader& reader, const SeriesFilter& filter) {
    std::map<std::string, std::vector<Series>> by_scope;
    for (Series& s : reader.series(filter))
        by_scope[s.scope].push_back(std::move(s));  // in server order, as series() gives them
    std::vector<ScopeSeries> out;
    out.reserve(by_scope.size());
    for (auto& [scope, servers] : by_scope)
        out.push_back({scope, std::move(servers)});
    std::sort(out.begin(), out.end(), [](const ScopeSeries& a, const ScopeSeries& b) {
        return scope_less(a.scope, b.scope);
    });
    return out;
}

void for_each_scope(SampleReader& reader, const SeriesFilter& filter,
                    const std::function<void(const std::string&, std::span<const Series>)>& visit) {
    for (const ScopeSeries& s : scopes_of(reader, filter))
        visit(s.scope, s.servers);
}

std::size_t analysis_threads() {
    const std::size_t cores = std::thread::hardware_concurrency();
    return std::clamp<std::size_t>(cores, 1, kMostAnalysisThreads);
}

void parallel_for_each(SampleReader& reader, std::size_t count, std::size_t threads,
                       const std::function<void(SampleReader&, std::size_t)>& work) {
    threads = std::min(threads == 0 ? analysis_threads() : threads, count);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex first_error_lock;
    std::exception_ptr first_error;
    const auto drain = [&](SampleReader& own) noexcept {
        try {
            for (std::size_t i = next++; i < count && !failed; i = next++)
                work(own, i);
        } catch (...) {
            const std::lock_guard lock(first_error_lock);
            if (!first_error)
                first_error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::unique_ptr<SampleReader>> siblings;
    std::vector<std::jthread> helpers;
    try {
        for (std::size_t t = 1; t < threads; ++t) {
            std::unique_ptr<SampleReader> sibling = reader.sibling();
            if (!sibling)
                break;
            siblings.push_back(std::move(sibling));
            helpers.emplace_back(drain, std::ref(*siblings.back()));
        }
    } catch (...) {  // no thread to be had: the threads started and this one do the work
    }
    drain(reader);
    helpers.clear();  // joins
    if (first_error)
        std::rethrow_exception(first_error);
}

}  // namespace fostat
