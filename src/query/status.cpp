#include "query/status.h"

#include <algorithm>
#include <cmath>

namespace fostat {

double shown_percent(double percent, const StatusOptions& options) {
    double shown = std::round(percent * 10) / 10;
    for (const double threshold : {options.warning, options.critical}) {
        if (percent < threshold && shown >= threshold)
            shown = std::floor(percent * 10) / 10;
        else if (percent >= threshold && shown < threshold)
            shown = std::ceil(percent * 10) / 10;
    }
    return shown + 0.0;  // never "-0"
}

StatusResult scope_status(SampleReader& reader, const SeriesFilter& filter,
                          const StatusOptions& options) {
    StatusResult result;
    for (const Series& series : reader.series(filter)) {
        const std::optional<Point> latest = reader.latest(series, filter);
        if (!latest)
            continue;
        ScopeStatus status{series, *latest, utilization_percent(latest->counters), false,
                           std::nullopt};
        if (status.utilization) {
            if (*status.utilization >= options.critical) {
                status.severity = Severity::critical;
            } else if (*status.utilization >= options.warning) {
                status.severity = Severity::warning;
            }
        }
        if (options.stale_after && options.now - latest->timestamp > *options.stale_after) {
            status.stale = true;
            if (!status.severity)
                status.severity = Severity::warning;
        }
        if (status.severity)
            result.worst.add(*status.severity);
        result.scopes.push_back(std::move(status));
    }
    std::stable_sort(result.scopes.begin(), result.scopes.end(),
                     [](const ScopeStatus& a, const ScopeStatus& b) {
                         if (a.series.scope != b.series.scope) {
                             return scope_less(a.series.scope, b.series.scope);
                         }
                         return a.series.server < b.series.server;
                     });
    return result;
}

}  // namespace fostat
