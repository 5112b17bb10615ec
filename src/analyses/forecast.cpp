#include "analyses/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace fostat {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr double kWeek = 7.0;  // x is fitted in weeks: x^2 stays small beside 1
constexpr int kMaxTerms = 10;  // level, growth, curve, step, six weekday effects
constexpr int kMinDaysForCurve = 14;
constexpr int kMinDaysForWeekend = 7;
constexpr int kMinDaysForWeekdays = 21;  // every weekday three times
constexpr int kMinDaysForStep = 10;
constexpr int kMinBefore = 3;      // a step needs this many days before it,
constexpr int kMinAfter = 2;       // and this many from it on
constexpr double kHuber = 1.345;   // 95 % efficiency at normal errors (Huber 1981)
constexpr double kMinScale = 0.5;  // peaks are whole addresses: below this is rounding
constexpr int kIterations = 6;
constexpr double kCloseBic = 2;

// The one-sided 90 % quantile of Student's t with 1..30 degrees of freedom.
constexpr std::array<double, 30> kT90 = {
    3.0777, 1.8856, 1.6377, 1.5332, 1.4759, 1.4398, 1.4149, 1.3968, 1.3830, 1.3722,
    1.3634, 1.3562, 1.3502, 1.3450, 1.3406, 1.3368, 1.3334, 1.3304, 1.3277, 1.3253,
    1.3232, 1.3212, 1.3195, 1.3178, 1.3163, 1.3150, 1.3137, 1.3125, 1.3114, 1.3104,
};
constexpr double kZ90 = 1.2816;

double t90(int df) {
    if (df <= static_cast<int>(kT90.size()))
        return kT90[std::max(df, 1) - 1];
    return kZ90 + (kT90.back() - kZ90) * static_cast<double>(kT90.size()) / df;
}

// Monday 0 .. Sunday 6; 1970-01-01 was a Thursday.
int weekday(std::int64_t day_start) {
    const std::int64_t days = day_start / kDay;
    return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

struct Point {
    double x = 0;  // weeks from as_of, at the middle of the day
    double y = 0;
    int weekday = 0;
    double weight = 1;  // Huber's, from the last fit
};

// How the day of the week enters: not at all; Saturday and Sunday apart from the other days
// (one term, from a week of days); or each day of the week apart from Monday (six terms, from
// three weeks).
enum class Week { none, weekend, days };

// Which terms a model has.
struct Terms {
    bool curve = false;
    Week week = Week::none;
    std::optional<std::size_t> step;  // the index of the first point after the step
    bool searched = false;            // the step's place was searched for: one more parameter

    int count() const {
        return 2 + curve + (step ? 1 : 0) + (week == Week::days ? 6 : week == Week::weekend);
    }
};

using Row = std::array<double, kMaxTerms>;

// The model's row for a point at x (weeks) on a weekday, after the step or not.
Row row_of(const Terms& t, double x, int day_of_week, bool after_step) {
    Row r{};
    int i = 0;
    r[i++] = 1;
    r[i++] = x;
    if (t.curve)
        r[i++] = x * x;
    if (t.step)
        r[i++] = after_step ? 1 : 0;
    if (t.week == Week::weekend)
        r[i++] = day_of_week >= 5 ? 1 : 0;
    if (t.week == Week::days) {
        for (int d = 1; d < 7; ++d)
            r[i++] = day_of_week == d ? 1 : 0;
    }
    return r;
}

// A symmetric positive definite system, factored once (Cholesky), solved for any right side.
class Cholesky {
  public:
    // False when the matrix is not positive definite (the terms cannot be told apart).
    bool factor(const std::array<Row, kMaxTerms>& a, int n) {
        n_ = n;
        for (int j = 0; j < n; ++j) {
            double d = a[j][j];
            for (int k = 0; k < j; ++k)
                d -= l_[j][k] * l_[j][k];
            if (!(d > 1e-9 * std::max(1.0, a[j][j])))
                return false;
            l_[j][j] = std::sqrt(d);
            for (int i = j + 1; i < n; ++i) {
                double s = a[i][j];
                for (int k = 0; k < j; ++k)
                    s -= l_[i][k] * l_[j][k];
                l_[i][j] = s / l_[j][j];
            }
        }
        return true;
    }

    Row solve(const Row& b) const {
        Row y{};
        for (int i = 0; i < n_; ++i) {
            double s = b[i];
            for (int k = 0; k < i; ++k)
                s -= l_[i][k] * y[k];
            y[i] = s / l_[i][i];
        }
        Row x{};
        for (int i = n_ - 1; i >= 0; --i) {
            double s = y[i];
            for (int k = i + 1; k < n_; ++k)
                s -= l_[k][i] * x[k];
            x[i] = s / l_[i][i];
        }
        return x;
    }

    // v' A^-1 v.
    double quadratic(const Row& v) const {
        // With A = L L', v' A^-1 v = |L^-1 v|^2.
        double sum = 0;
        Row y{};
        for (int i = 0; i < n_; ++i) {
            double s = v[i];
            for (int k = 0; k < i; ++k)
                s -= l_[i][k] * y[k];
            y[i] = s / l_[i][i];
            sum += y[i] * y[i];
        }
        return sum;
    }

  private:
    std::array<Row, kMaxTerms> l_{};
    int n_ = 0;
};

double dot(const Row& a, const Row& b, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i)
        s += a[i] * b[i];
    return s;
}

struct Fit {
    Terms terms;
    Row beta{};
    Cholesky normal;   // X'WX, for the parameters' uncertainty
    double sigma = 0;  // the residuals' standard deviation (weighted, degrees of freedom)
    int df = 0;
    double bic = std::numeric_limits<double>::infinity();
};

double median_abs(std::vector<double>& v) {
    const auto middle = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), middle, v.end());
    return *middle;
}

// Huber's M-estimate by iteratively reweighted least squares, the scale from the median
// absolute residual. Leaves the final weights in `points`. nullopt when the terms cannot be
// told apart or leave no degree of freedom.
std::optional<Fit> robust_fit(std::vector<Point>& points, const Terms& terms) {
    const int k = terms.count();
    const int n = static_cast<int>(points.size());
    if (n - k < 1)
        return std::nullopt;
    for (Point& p : points)
        p.weight = 1;
    Fit fit;
    fit.terms = terms;
    std::vector<Row> rows(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Point& p = points[i];
        rows[i] = row_of(terms, p.x, p.weekday, terms.step && i >= *terms.step);
    }
    std::vector<double> abs_residuals(points.size());
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        std::array<Row, kMaxTerms> a{};
        Row b{};
        for (std::size_t i = 0; i < points.size(); ++i) {
            const Point& p = points[i];
            const Row& r = rows[i];
            for (int u = 0; u < k; ++u) {
                b[u] += p.weight * r[u] * p.y;
                for (int v = 0; v <= u; ++v)
                    a[u][v] += p.weight * r[u] * r[v];
            }
        }
        for (int u = 0; u < k; ++u) {
            for (int v = u + 1; v < k; ++v)
                a[u][v] = a[v][u];
        }
        if (!fit.normal.factor(a, k))
            return std::nullopt;
        fit.beta = fit.normal.solve(b);
        for (std::size_t i = 0; i < points.size(); ++i)
            abs_residuals[i] = std::abs(points[i].y - dot(fit.beta, rows[i], k));
        if (iteration + 1 == kIterations)
            break;
        std::vector<double> sorted = abs_residuals;
        const double scale = std::max(kMinScale, 1.4826 * median_abs(sorted));
        bool changed = false;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const double limit = kHuber * scale;
            const double weight = abs_residuals[i] <= limit ? 1.0 : limit / abs_residuals[i];
            changed = changed || std::abs(weight - points[i].weight) > 1e-9;
            points[i].weight = weight;
        }
        if (!changed)
            break;  // the same weights give the same fit
    }
    double rss = 0;
    double weights = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        rss += points[i].weight * abs_residuals[i] * abs_residuals[i];
        weights += points[i].weight;
    }
    fit.df = n - k;
    fit.sigma = std::sqrt(rss / weights * n / fit.df);
    // BIC (Schwarz 1978) on the weighted residuals; a searched step's place is a parameter
    // too. The floor keeps exact fits comparable (peaks are whole addresses).
    const double variance = std::max(rss / weights, 1e-6);
    fit.bic = n * std::log(variance) + (k + (terms.searched ? 1 : 0)) * std::log(n);
    return fit;
}

// The place of a single level shift that `fit` (a robust fit without a step) leaves least
// explained: a least-squares break search (as Bai and Perron's), with the weights that fit
// left in `points`, so that a spike does not look like a step. By Frisch-Waugh-Lovell, a
// step from point b reduces that fit's weighted residual sum of squares by
//   (sum_{i>=b} w_i e_i)^2 / (sum_{i>=b} w_i - v_b' (X'WX)^-1 v_b),  v_b = sum_{i>=b} w_i x_i
// (e the residuals, x_i the terms' row), so every place costs one quadratic form.
// REQUIRES: the points' weights are those robust_fit left for `fit`.
std::optional<std::size_t> search_step(const std::vector<Point>& points, const Fit& fit) {
    const std::size_t n = points.size();
    if (n < static_cast<std::size_t>(kMinDaysForStep))
        return std::nullopt;
    const Terms& terms = fit.terms;
    const int k = terms.count();
    Row v{};
    double weight = 0;
    double weighted_residual = 0;
    std::optional<std::size_t> best;
    double most = 0;
    for (std::size_t b = n; b-- > static_cast<std::size_t>(kMinBefore);) {
        const Point& p = points[b];
        const Row r = row_of(terms, p.x, p.weekday, false);
        for (int u = 0; u < k; ++u)
            v[u] += p.weight * r[u];
        weight += p.weight;
        weighted_residual += p.weight * (p.y - dot(fit.beta, r, k));
        if (n - b < static_cast<std::size_t>(kMinAfter))
            continue;
        const double left = weight - fit.normal.quadratic(v);
        if (!(left > 1e-9 * weight))
            continue;  // the step is one of the terms already (a weekday's)
        const double gain = weighted_residual * weighted_residual / left;
        if (gain > most) {
            most = gain;
            best = b;
        }
    }
    return best;
}

// The upper 90 % prediction bound's distance above the central value, for the model's row.
double bound(const Fit& fit, const Row& r) {
    return t90(fit.df) * fit.sigma * std::sqrt(1.0 + fit.normal.quadratic(r));
}

// The first instant from as_of within the horizon at which `value(weekday, t)` (the model,
// or its upper bound) reaches capacity: days in turn from as_of's, each valued at its start
// and middle (where the day's peak is fitted), the instant interpolated between them.
// For a fixed weekday every model here is convex in t (a line or a parabola opening upwards,
// plus a square root of a positive quadratic for the bound), so a value below capacity at
// both ends of the horizon on every weekday stays below it in between.
template <class Value>
std::optional<std::int64_t> first_reach(const ForecastInput& in, Value value) {
    const std::int64_t last = in.as_of + in.horizon;
    bool below = true;
    for (int d = 0; d < 7 && below; ++d)
        below = value(d, in.as_of) < in.capacity && value(d, last) < in.capacity;
    if (below)
        return std::nullopt;
    for (std::int64_t day = in.as_of - ((in.as_of % kDay) + kDay) % kDay; day <= last;
         day += kDay) {
        const int d = weekday(day);
        const double middle = value(d, day + kDay / 2);
        if (middle < in.capacity)
            continue;
        const double start = value(d, day);
        std::int64_t at = day;
        if (start < in.capacity) {
            const double share = (in.capacity - start) / (middle - start);
            at = day + std::llround(share * static_cast<double>(kDay / 2));
        }
        at = std::max(at, in.as_of);
        if (at > last)
            return std::nullopt;
        return at;
    }
    return std::nullopt;
}

}  // namespace

std::string Forecast::model() const {
    if (!enough)
        return "short";
    std::string out = curve ? "curve" : "line";
    if (weekly)
        out += "+weekly";
    if (step)
        out += "+step";
    return out;
}

Forecast forecast_peaks(std::span<const DayPeak> days, const ForecastInput& in) {
    Forecast out;
    std::vector<Point> points;
    std::vector<std::int64_t> point_days;
    for (const DayPeak& d : days) {
        if (!d.complete())
            continue;
        points.push_back({static_cast<double>(d.day + kDay / 2 - in.as_of) / kDay / kWeek, d.peak,
                          weekday(d.day)});
        point_days.push_back(d.day);
    }
    if (points.size() > static_cast<std::size_t>(kForecastDays)) {
        const auto drop = static_cast<std::ptrdiff_t>(points.size() - kForecastDays);
        points.erase(points.begin(), points.begin() + drop);
        point_days.erase(point_days.begin(), point_days.begin() + drop);
    }
    out.days = static_cast<int>(points.size());
    out.enough = out.days >= kForecastMinDays;
    // Demand that reached capacity on the last day is out now, whatever a fit would say.
    if (!days.empty() && days.back().peak >= in.capacity) {
        out.runs_out = in.as_of;
        out.earliest = in.as_of;
    }
    if (!out.enough)
        return out;

    // The terms that can be told apart with these days.
    std::array<int, 7> per_weekday{};
    for (const Point& p : points)
        ++per_weekday[p.weekday];
    const bool days_possible =
        out.days >= kMinDaysForWeekdays &&
        std::all_of(per_weekday.begin(), per_weekday.end(), [](int c) { return c >= 3; });
    const int weekend_days = per_weekday[5] + per_weekday[6];
    const bool weekend_possible =
        out.days >= kMinDaysForWeekend && weekend_days >= 2 && out.days - weekend_days >= 3;
    const bool curve_possible = out.days >= kMinDaysForCurve;

    // Where the step is: at a known break every model steps (the data surely does), and
    // too few days after it are too little to forecast; otherwise none, or where a search
    // finds one best (for each set of terms, which a step could otherwise stand in for).
    std::optional<std::size_t> known;
    if (in.known_break) {
        const auto at = std::lower_bound(point_days.begin(), point_days.end(), *in.known_break);
        const auto index = static_cast<std::size_t>(at - point_days.begin());
        if (index + kMinAfter > points.size()) {
            out.enough = false;
            return out;
        }
        if (index >= 1)
            known = index;
    }

    std::vector<Fit> fits;
    for (const bool curve : {false, true}) {
        if (curve && !curve_possible)
            continue;
        for (const Week week : {Week::none, Week::weekend, Week::days}) {
            if ((week == Week::weekend && !weekend_possible) ||
                (week == Week::days && !days_possible))
                continue;
            // Only growth that accelerates: a falling curve would put exhaustion off for ever
            // on the strength of a bend the data may not keep.
            const auto keep = [&](std::optional<Fit> fit) {
                if (fit && (!curve || fit->beta[2] > 0))
                    fits.push_back(std::move(*fit));
            };
            if (known) {
                keep(robust_fit(points, Terms{curve, week, known, false}));
                continue;
            }
            std::optional<Fit> plain = robust_fit(points, Terms{curve, week, std::nullopt, false});
            if (!plain)
                continue;
            const std::optional<std::size_t> searched = search_step(points, *plain);
            keep(std::move(plain));
            if (searched)
                keep(robust_fit(points, Terms{curve, week, searched, true}));
        }
    }
    if (fits.empty())
        return out;
    std::sort(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) { return a.bic < b.bic; });
    const Fit& best = fits.front();
    out.curve = best.terms.curve;
    out.weekly = best.terms.week != Week::none;
    if (best.terms.step)
        out.step = point_days[*best.terms.step];
    // Rounded to a billionth, so that a flat line reads 0 and not 1e-15 a day.
    const auto clean = [](double v) { return std::round(v * 1e9) / 1e9 + 0.0; };
    out.growth = clean(best.beta[1] / kWeek);
    out.spread = clean(best.sigma);
    double level = -std::numeric_limits<double>::infinity();
    for (int d = 0; d < 7; ++d)
        level = std::max(level, dot(best.beta, row_of(best.terms, 0, d, true), best.terms.count()));
    out.level = clean(level);
    out.fitted_from = point_days[best.terms.step.value_or(0)];
    if (out.runs_out)
        return out;

    const auto row_at = [&](const Fit& fit, int day_of_week, std::int64_t at) {
        return row_of(fit.terms, static_cast<double>(at - in.as_of) / kDay / kWeek, day_of_week,
                      true);
    };
    out.runs_out = first_reach(in, [&](int day_of_week, std::int64_t at) {
        return dot(best.beta, row_at(best, day_of_week, at), best.terms.count());
    });
    // The earliest likely date: the first upper bound to reach capacity, of the best model
    // and of those the data cannot tell from it (BIC within kCloseBic: Kass and Raftery's
    // "not worth more than a bare mention").
    for (const Fit& fit : fits) {
        if (fit.bic > best.bic + kCloseBic)
            break;
        const auto at = first_reach(in, [&](int day_of_week, std::int64_t t) {
            const Row r = row_at(fit, day_of_week, t);
            return dot(fit.beta, r, fit.terms.count()) + bound(fit, r);
        });
        if (at && (!out.earliest || *at < *out.earliest))
            out.earliest = at;
    }
    if (out.runs_out && (!out.earliest || *out.earliest > *out.runs_out))
        out.earliest = out.runs_out;
    return out;
}

}  // namespace fostat
