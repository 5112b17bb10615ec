#include "query/analysis.h"

#include <algorithm>
#include <map>

#include "format/csv.h"
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
    throw InputError("--severity: " + excerpt(text) + " is not one of info, warning, critical");
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

void for_each_scope(SampleReader& reader, const SeriesFilter& filter,
                    const std::function<void(const std::string&, std::span<const Series>)>& visit) {
    std::map<std::string, std::vector<Series>> by_scope;
    for (Series& s : reader.series(filter))
        by_scope[s.scope].push_back(std::move(s));  // in server order, as series() gives them
    std::vector<std::string> scopes;
    for (const auto& entry : by_scope)
        scopes.push_back(entry.first);
    std::sort(scopes.begin(), scopes.end(), scope_less);
    for (const std::string& scope : scopes)
        visit(scope, by_scope[scope]);
}

}  // namespace fostat
