#include "storage/samples_with_lease_states.h"

#include <algorithm>
#include <utility>

namespace fostat {

SamplesWithLeaseStates::SamplesWithLeaseStates(SQLite::Database& db, SampleReader& samples,
                                               SeriesFilter filter)
    : samples_(samples),
      breakdowns_(db),
      filter_(std::move(filter)),
      series_(samples.series(filter_)) {
    for (const Series& s : series_) {
        breakdowns_.start(s.id, filter_.since, filter_.until);
        while (const LeaseStatesAt* at = breakdowns_.next()) {
            for (const LeaseStateCount& c : at->counts) {
                if (std::find(states_.begin(), states_.end(), c.state) == states_.end())
                    states_.push_back(c.state);
            }
        }
    }
}

void SamplesWithLeaseStates::for_each(
    const Series& series,
    const std::function<void(const Sample&, const std::vector<std::uint64_t>*)>& visit) {
    if (states_.empty()) {
        samples_.for_each(series, filter_, [&](const Sample& s) { visit(s, nullptr); });
        return;
    }
    breakdowns_.start(series.id, filter_.since, filter_.until);
    const LeaseStatesAt* next = breakdowns_.next();
    samples_.for_each(series, filter_, [&](const Sample& s) {
        while (next != nullptr && next->timestamp < s.timestamp)  // both in time order
            next = breakdowns_.next();
        if (next == nullptr || next->timestamp != s.timestamp) {
            visit(s, nullptr);
            return;
        }
        counts_.assign(states_.size(), 0);
        for (std::size_t i = 0; i < states_.size(); ++i) {
            for (const LeaseStateCount& c : next->counts) {
                if (c.state == states_[i])
                    counts_[i] = c.addresses;
            }
        }
        visit(s, &counts_);
    });
}

}  // namespace fostat
