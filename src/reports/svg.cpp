#include "reports/svg.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>

#include "fostat/text.h"

namespace fostat {
namespace {

// Layout, in pixels.
constexpr int kLeft = 64;  // room for the value labels
constexpr int kRight = 16;
constexpr int kHeader = 40;          // the chart's title and window
constexpr int kPanelTitle = 16;      // one line: the scope and its summary
constexpr int kGridPanelTitle = 30;  // in a grid: the scope, then the summary below it
constexpr int kGridGap = 24;         // between the panels of a row
constexpr int kMarks = 12;           // the strip of invariant marks above the utilization band
constexpr int kUtilization = 104;
constexpr int kBandGap = 8;
constexpr int kFree = 56;
constexpr int kPanelGap = 14;
constexpr int kAxis = 30;  // tick labels and the window line below the last panel
constexpr int kLegendRow = 18;
constexpr double kCharWidth = 6.2;  // an estimate of sans-serif at 11 px, for the legend

// Dark enough for print; the dashes tell them apart in grayscale.
constexpr std::array<std::string_view, 6> kColors = {"#1f4e9c", "#b34700", "#2e7d32",
                                                     "#6a1b9a", "#00695c", "#5d4037"};
constexpr std::array<std::string_view, 4> kDashes = {"", "7 3", "2 2", "7 3 2 3"};

// A coordinate with at most two decimals, no trailing zeros, never "-0".
std::string num(double v) {
    const double r = std::round(v * 100) / 100 + 0.0;
    char buffer[64];
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, r, std::chars_format::fixed, 2);
    std::string s(buffer, ec == std::errc() ? end : buffer);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

// One band's mapping from (time, value) to pixels.
struct Band {
    double x0, x1;
    std::int64_t t0, t1;
    double y0, y1;  // pixels of v0 and v1
    double v0, v1;

    double x(std::int64_t t) const {
        return x0 + static_cast<double>(t - t0) * (x1 - x0) / static_cast<double>(t1 - t0);
    }
    double y(double v) const { return y0 + (v - v0) * (y1 - y0) / (v1 - v0); }
    double top() const { return std::min(y0, y1); }
    double bottom() const { return std::max(y0, y1); }

    std::string attributes() const {
        return " data-x0=\"" + num(x0) + "\" data-x1=\"" + num(x1) + "\" data-t0=\"" +
               std::to_string(t0) + "\" data-t1=\"" + std::to_string(t1) + "\" data-y0=\"" +
               num(y0) + "\" data-y1=\"" + num(y1) + "\" data-v0=\"" + num(v0) + "\" data-v1=\"" +
               num(v1) + "\"";
    }
};

std::string point(const Band& b, const PlotPoint& p) {
    return num(b.x(p.t)) + " " + num(b.y(p.v));
}

std::string line_path(const Band& b, const PlotSegments& segments) {
    std::string d;
    for (const auto& segment : segments) {
        for (std::size_t i = 0; i < segment.size(); ++i)
            d += (d.empty() ? "" : " ") + std::string(i == 0 ? "M" : "L") + point(b, segment[i]);
    }
    return d;
}

// Areas between the base line and each segment.
std::string area_path(const Band& b, const PlotSegments& segments) {
    std::string d;
    for (const auto& segment : segments) {
        if (segment.empty())
            continue;
        d += (d.empty() ? "" : " ") + std::string("M") + num(b.x(segment.front().t)) + " " +
             num(b.y(0));
        for (const PlotPoint& p : segment)
            d += " L" + point(b, p);
        d += " L" + num(b.x(segment.back().t)) + " " + num(b.y(0)) + " Z";
    }
    return d;
}

// Areas between the stack's top and the own free addresses below it.
std::string stacked_path(const Band& b, const PlotSegments& top, const PlotSegments& below) {
    std::string d;
    for (const auto& segment : top) {
        if (segment.empty())
            continue;
        const std::int64_t from = segment.front().t, to = segment.back().t;
        d += (d.empty() ? "" : " ") + std::string("M") + point(b, segment.front());
        for (std::size_t i = 1; i < segment.size(); ++i)
            d += " L" + point(b, segment[i]);
        std::vector<PlotPoint> under;
        for (const auto& s : below) {
            for (const PlotPoint& p : s) {
                if (p.t >= from && p.t <= to)
                    under.push_back(p);
            }
        }
        if (under.empty() || under.back().t != to)
            d += " L" + num(b.x(to)) + " " + num(b.y(0));
        for (auto p = under.rbegin(); p != under.rend(); ++p)
            d += " L" + point(b, *p);
        if (under.empty() || under.front().t != from)
            d += " L" + num(b.x(from)) + " " + num(b.y(0));
        d += " Z";
    }
    return d;
}

class Svg {
  public:
    explicit Svg(std::ostream& out) : out_(out) {}
    std::ostream& out_;

    void text(double x, double y, std::string_view content, std::string_view attributes = {}) {
        out_ << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\"" << attributes << ">"
             << xml_escape(content) << "</text>\n";
    }
    void line(double x1, double y1, double x2, double y2, std::string_view attributes) {
        out_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2)
             << "\" y2=\"" << num(y2) << "\"" << attributes << "/>\n";
    }
};

std::string dash_attribute(std::string_view d) {
    return d.empty() ? std::string() : " stroke-dasharray=\"" + std::string(d) + "\"";
}

std::string title_element(std::string_view text) {
    return "<title>" + xml_escape(text) + "</title>";
}

}  // namespace

void write_plot_defs(std::ostream& out) {
    out << "<defs>\n"
           "<pattern id=\"fostat-partner\" width=\"6\" height=\"6\" "
           "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
           "<rect width=\"6\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.6\"/>"
           "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555555\" stroke-width=\"1.2\"/>"
           "</pattern>\n"
           "<pattern id=\"fostat-imbalance\" width=\"8\" height=\"8\" "
           "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
           "<rect width=\"8\" height=\"8\" fill=\"#f2c200\" fill-opacity=\"0.25\"/>"
           "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#8a6d00\" stroke-width=\"2\"/>"
           "</pattern>\n"
           "<pattern id=\"fostat-starved\" width=\"6\" height=\"6\" "
           "patternUnits=\"userSpaceOnUse\">"
           "<rect width=\"6\" height=\"6\" fill=\"#d32f2f\" fill-opacity=\"0.3\"/>"
           "<path d=\"M0 0 L6 6 M6 0 L0 6\" stroke=\"#8e0000\" stroke-width=\"1\"/>"
           "</pattern>\n"
           "</defs>\n";
}

namespace {

struct Layout {
    int width = 0;
    int height = 0;
    int grid = 1;        // panels side by side (plot_grid_columns)
    int cell_width = 0;  // one panel with its labels: kLeft + columns + kRight
    int title_height = kPanelTitle;
    std::vector<std::pair<int, int>> panels;  // each panel's left edge (of its band) and top
    int axis_top = 0;                         // the time axes, one under each grid column
    int legend_top = 0;
    int legend_rows = 0;
};

struct LegendItem {
    std::string kind;  // line, area, pattern, forecast, size, critical, warning
    std::string label;
    int style = 0;
    std::string fill;
};

std::vector<LegendItem> legend_items(const Plot& plot) {
    std::vector<LegendItem> items;
    for (std::size_t i = 0; i < plot.servers.size(); ++i) {
        const int style = static_cast<int>(i);
        items.push_back({"line", plot.servers[i] + ": utilization", style, ""});
        items.push_back({"area", plot.servers[i] + ": its own free addresses", style, ""});
    }
    items.push_back({"pattern", "partner's free addresses", 0, "url(#fostat-partner)"});
    items.push_back({"pattern", "imbalance", 0, "url(#fostat-imbalance)"});
    items.push_back({"pattern", "starved", 0, "url(#fostat-starved)"});
    items.push_back({"forecast", "forecast (trend) and its band", 0, ""});
    items.push_back({"size", "num_addr change", 0, ""});
    items.push_back({"critical", "critical invariant", 0, ""});
    items.push_back({"warning", "warning invariant", 0, ""});
    return items;
}

constexpr double kSwatch = 22;

double item_width(const LegendItem& item) {
    return kSwatch + 6 + static_cast<double>(item.label.size()) * kCharWidth + 14;
}

int panel_height(const ScopePlot& panel, int title_height) {
    return title_height + kMarks + kUtilization +
           static_cast<int>(panel.servers.size()) * (kBandGap + kFree);
}

// Panels row by row in address order, each row as tall as its tallest panel, every grid
// column with its own time axis below the last row.
Layout layout(const Plot& plot) {
    Layout l;
    l.grid = plot_grid_columns(plot.scopes.size());
    l.cell_width = kLeft + plot.columns + kRight;
    l.width = l.grid * l.cell_width + (l.grid - 1) * kGridGap;
    l.title_height = l.grid > 1 ? kGridPanelTitle : kPanelTitle;
    int y = kHeader;
    for (std::size_t row = 0; row * l.grid < plot.scopes.size(); ++row) {
        int tallest = 0;
        for (int c = 0; c < l.grid && row * l.grid + c < plot.scopes.size(); ++c) {
            const ScopePlot& panel = plot.scopes[row * l.grid + c];
            l.panels.emplace_back(kLeft + c * (l.cell_width + kGridGap), y);
            tallest = std::max(tallest, panel_height(panel, l.title_height));
        }
        y += tallest + kPanelGap;
    }
    l.axis_top = y - kPanelGap;
    l.legend_top = l.axis_top + kAxis + 8;
    double x = kLeft;
    l.legend_rows = 1;
    for (const LegendItem& item : legend_items(plot)) {
        const double w = item_width(item);
        if (x + w > l.width - kRight && x > kLeft) {
            ++l.legend_rows;
            x = kLeft;
        }
        x += w;
    }
    l.height = l.legend_top + l.legend_rows * kLegendRow + 6;
    return l;
}

// `text` cut to about `width` pixels of sans-serif at 11 px, with an ellipsis when cut (at a
// character boundary).
std::string fitted(const std::string& text, double width) {
    const auto most = static_cast<std::size_t>(std::max(0.0, width / kCharWidth));
    if (text.size() <= most)
        return text;
    std::size_t cut = most > 1 ? most - 1 : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return text.substr(0, cut) + "\u2026";
}

void write_gridlines(std::ostream& out, const Plot& plot, const Band& b) {
    for (const PlotTick& tick : plot.ticks) {
        const double x = b.x(tick.t);
        out << "<line x1=\"" << num(x) << "\" y1=\"" << num(b.top()) << "\" x2=\"" << num(x)
            << "\" y2=\"" << num(b.bottom()) << "\" stroke=\"#d0d0d0\" stroke-width=\"0.8\"/>\n";
    }
}

// The forecast zone: a light background right of the window's end.
void write_forecast_zone(std::ostream& out, const Plot& plot, const Band& b) {
    if (plot.axis_end <= plot.end)
        return;
    const double x = b.x(plot.end);
    out << "<rect class=\"forecast-zone\" x=\"" << num(x) << "\" y=\"" << num(b.top())
        << "\" width=\"" << num(b.x1 - x) << "\" height=\"" << num(b.bottom() - b.top())
        << "\" fill=\"#f3f3f3\"/>\n";
}

void write_frame(std::ostream& out, const Band& b) {
    out << "<rect x=\"" << num(b.x0) << "\" y=\"" << num(b.top()) << "\" width=\""
        << num(b.x1 - b.x0) << "\" height=\"" << num(b.bottom() - b.top())
        << "\" fill=\"none\" stroke=\"#777777\" stroke-width=\"0.8\"/>\n";
}

std::string polygon_path(const Band& b, const std::vector<PlotPoint>& points) {
    std::string d;
    for (std::size_t i = 0; i < points.size(); ++i)
        d += (i == 0 ? "M" : " L") + point(b, points[i]);
    return d.empty() ? d : d + " Z";
}

// A text's box, in pixels.
struct Box {
    double left, right, top, bottom;
};

// Whether segment a-b passes through the box (Liang and Barsky).
bool crosses(const Box& r, double xa, double ya, double xb, double yb) {
    double enter = 0, leave = 1;
    const double dx = xb - xa, dy = yb - ya;
    for (const auto& [p, q] : {std::pair{-dx, xa - r.left}, std::pair{dx, r.right - xa},
                               std::pair{-dy, ya - r.top}, std::pair{dy, r.bottom - ya}}) {
        if (p == 0) {
            if (q < 0)
                return false;
            continue;
        }
        const double t = q / p;
        if (p < 0)
            enter = std::max(enter, t);
        else
            leave = std::min(leave, t);
    }
    return enter <= leave;
}

// Whether the box keeps clear of the forecast: its line, its band and the circle at the date.
bool clear_of(const Box& r, const Band& b, const PlotForecast& f, bool circle) {
    for (std::size_t i = 0; i + 1 < f.line.size(); ++i) {
        if (crosses(r, b.x(f.line[i].t), b.y(f.line[i].v), b.x(f.line[i + 1].t),
                    b.y(f.line[i + 1].v)))
            return false;
    }
    // The band: an edge through the box, or the box inside it (its middle, by ray casting).
    const double mx = (r.left + r.right) / 2, my = (r.top + r.bottom) / 2;
    bool inside = false;
    for (std::size_t i = 0; i < f.band.size(); ++i) {
        const PlotPoint& p = f.band[i];
        const PlotPoint& q = f.band[(i + 1) % f.band.size()];
        const double xp = b.x(p.t), yp = b.y(p.v), xq = b.x(q.t), yq = b.y(q.v);
        if (crosses(r, xp, yp, xq, yq))
            return false;
        if ((yp > my) != (yq > my) && mx < xp + (my - yp) * (xq - xp) / (yq - yp))
            inside = !inside;
    }
    if (inside)
        return false;
    if (circle) {
        const double x = b.x(f.reaches_at), y = b.y(f.target);
        if (x + 4 > r.left && x - 4 < r.right && y + 4 > r.top && y - 4 < r.bottom)
            return false;
    }
    return true;
}

// A white outline behind a label's letters, so that a line under it does not strike it.
constexpr char kHalo[] =
    " stroke=\"#ffffff\" stroke-width=\"2.5\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
constexpr double kLabelFont = 10;
constexpr double kLabelCharWidth = kCharWidth * kLabelFont / 11;

// The forecast: the band of its uncertainty (light), the central line (dashed), a circle
// where it reaches the target, and its dates, placed clear of all three: at the first of
// these places that is (else the first): above the utilization band (where nothing of a
// forecast goes, past 100 %) unless an invariant mark is there; inside the band at its top,
// then at its bottom, ending at the date; at the bottom, then the top, starting right of the
// date; each clear of the level lines too. A date beyond the axis is written at its end,
// with an arrow.
struct Taken {
    std::vector<std::pair<double, double>> strip;  // x ranges of the marks above the band
    std::vector<double> rules;                     // y of the level lines across it
};
void write_forecast(Svg& svg, const Band& b, const PlotForecast& f, std::string_view css_class,
                    std::string_view what, const Plot& plot, const Taken& taken = {}) {
    if (!f.band.empty()) {
        svg.out_ << "<path class=\"" << css_class << "-band\" d=\"" << polygon_path(b, f.band)
                 << "\" fill=\"#000000\" fill-opacity=\"0.13\" stroke=\"none\">"
                 << title_element(std::string(what) + ": " + f.label +
                                  "; the band reaches it at the earliest likely date (1 in 10 "
                                  "that it comes sooner)")
                 << "</path>\n";
    }
    std::string d;
    for (std::size_t i = 0; i < f.line.size(); ++i)
        d += (i == 0 ? "M" : " L") + point(b, f.line[i]);
    svg.out_ << "<path class=\"" << css_class << "\" d=\"" << d
             << "\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.5\" "
                "stroke-dasharray=\"8 4\">"
             << title_element(std::string(what) + ": " + f.label) << "</path>\n";
    const bool inside = f.reaches_at <= plot.axis_end;
    const std::string text = inside ? f.label : f.label + " \u2192";
    const double width = static_cast<double>(text.size()) * kLabelCharWidth;
    const double x = inside ? b.x(f.reaches_at) : b.x1 - 3;
    if (inside) {
        svg.out_ << "<circle cx=\"" << num(x) << "\" cy=\"" << num(b.y(f.target))
                 << "\" r=\"3\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"1.5\"/>\n";
    }
    struct Place {
        double baseline;
        double left;  // of the text
    };
    // Ending at the date, moved right where it would leave the band on the left.
    const double ending = std::max(inside ? x - 6 : x, b.x0 + width + 2) - width;
    std::vector<Place> places;
    const bool above = b.y(f.target) <= b.top();
    if (above)
        places.push_back({b.top() - 3, ending});
    places.push_back({b.top() + 10, ending});
    places.push_back({b.bottom() - 3, ending});
    if (inside && x + 6 + width <= b.x1 - 2) {
        places.push_back({b.bottom() - 3, x + 6});
        places.push_back({b.top() + 10, x + 6});
    }
    const auto box = [&](const Place& p) {
        return Box{p.left - 1, p.left + width + 1, p.baseline - 9, p.baseline + 3};
    };
    const Place* chosen = &places.front();
    for (const Place& p : places) {
        const Box r = box(p);
        bool clear = true;
        if (above && &p == &places.front()) {
            for (const auto& [from, to] : taken.strip)
                clear = clear && (to < r.left || from > r.right);
        } else {
            clear = clear_of(r, b, f, inside);
            for (double y : taken.rules)
                clear = clear && (y < r.top || y > r.bottom);
        }
        if (clear) {
            chosen = &p;
            break;
        }
    }
    // The width is an estimate: a text that ends at the date is anchored there.
    const bool ends = chosen->left == ending;
    svg.text(ends ? ending + width : chosen->left, chosen->baseline, text,
             " class=\"" + std::string(css_class) + "-label\" font-size=\"10\"" +
                 (ends ? " text-anchor=\"end\"" : "") + kHalo);
}

// The --warning and --critical levels across the utilization band, each named, so that
// they read without colour: critical solid, warning dashed; a label above its line at the
// band's left (below it when the two are too close for both above).
void write_levels(Svg& svg, const Plot& plot, const Band& u) {
    for (std::size_t i = 0; i < plot.levels.size(); ++i) {
        const PlotLevel& level = plot.levels[i];
        const bool critical = i + 1 == plot.levels.size();
        const double y = u.y(level.percent);
        svg.out_ << "<line class=\"level\" x1=\"" << num(u.x0) << "\" y1=\"" << num(y) << "\" x2=\""
                 << num(u.x1) << "\" y2=\"" << num(y) << "\" stroke=\"#444444\" stroke-width=\""
                 << (critical ? "1" : "0.9") << "\""
                 << (critical ? "" : " stroke-dasharray=\"5 3\"") << ">"
                 << title_element(level.label + " (--" + (critical ? "critical" : "warning") + ")")
                 << "</line>\n";
        bool above = true;
        if (!critical && i + 1 < plot.levels.size())
            above = y - u.y(plot.levels[i + 1].percent) >= 10;
        svg.text(u.x0 + 3, above ? y - 2 : y + 9, level.label,
                 std::string(" font-size=\"9\" fill=\"#222222\"") + kHalo);
    }
}

void triangle(std::ostream& out, double x, double y, bool filled, std::string_view title) {
    out << "<path d=\"M" << num(x - 4) << " " << num(y) << " L" << num(x + 4) << " " << num(y)
        << " L" << num(x) << " " << num(y + 7) << " Z\""
        << (filled ? " fill=\"#b71c1c\" stroke=\"#b71c1c\""
                   : " fill=\"#ffffff\" stroke=\"#e65100\" stroke-width=\"1.3\"")
        << ">" << title_element(title) << "</path>\n";
}

// The panel's title: the scope and its summary on one line, or in a grid on two; cut to the
// panel's width, the whole of it in a tooltip.
void write_panel_title(std::ostream& out, const Plot& plot, const ScopePlot& panel, const Layout& l,
                       int left, int top) {
    const double width = plot.columns + kRight;
    const std::string whole = panel.scope + (panel.summary.empty() ? "" : ": " + panel.summary);
    out << "<text x=\"" << left << "\" y=\"" << top + 12 << "\">" << title_element(whole)
        << "<tspan font-weight=\"bold\">" << xml_escape(fitted(panel.scope, width)) << "</tspan>";
    if (!panel.summary.empty()) {
        if (l.grid > 1) {
            out << "<tspan x=\"" << left << "\" dy=\"14\" fill=\"#333333\">"
                << xml_escape(fitted(panel.summary, width)) << "</tspan>";
        } else {
            const double rest = width - 10 - static_cast<double>(panel.scope.size()) * kCharWidth;
            out << "<tspan dx=\"10\" fill=\"#333333\">" << xml_escape(fitted(panel.summary, rest))
                << "</tspan>";
        }
    }
    out << "</text>\n";
}

void write_panel(Svg& svg, const Plot& plot, const ScopePlot& panel, const Layout& l, int left,
                 int top) {
    std::ostream& out = svg.out_;
    out << "<g class=\"panel\" data-scope=\"" << xml_escape(panel.scope) << "\">\n";
    write_panel_title(out, plot, panel, l, left, top);

    const double x0 = left, x1 = left + plot.columns;
    const double u_top = top + l.title_height + kMarks;
    const Band u{x0, x1, plot.start, plot.axis_end, u_top + kUtilization, u_top, 0, 100};

    // Invariant marks: a triangle at the episode's start, a bar along it if it lasts.
    out << "<g class=\"marks\">\n";
    // Warnings first, so that a critical mark at the same place is drawn over them.
    std::vector<const PlotMark*> marks;
    for (const PlotMark& m : panel.marks)
        marks.push_back(&m);
    std::stable_sort(marks.begin(), marks.end(), [](const PlotMark* a, const PlotMark* b) {
        return a->severity < b->severity;
    });
    Taken taken;
    for (const PlotMark* mark : marks) {
        const PlotMark& m = *mark;
        const double a = u.x(m.first), z = u.x(m.last);
        taken.strip.emplace_back(a - 5, std::max(a + 5, z));
        const bool critical = m.severity == Severity::critical;
        const std::string_view stroke = critical ? "#b71c1c" : "#e65100";
        if (z - a >= 2) {
            out << "<rect x=\"" << num(a) << "\" y=\"" << num(u_top - 3) << "\" width=\""
                << num(z - a) << "\" height=\"2\" fill=\"" << stroke << "\"/>\n";
        }
        triangle(out, a, u_top - kMarks + 1, critical, m.text);
    }
    out << "</g>\n";

    out << "<g class=\"band utilization\"" << u.attributes() << ">\n";
    write_forecast_zone(out, plot, u);
    write_gridlines(out, plot, u);
    for (int v : {25, 50, 75}) {
        svg.line(x0, u.y(v), x1, u.y(v), " stroke=\"#e2e2e2\" stroke-width=\"0.8\"");
    }
    for (int v : {0, 50, 100})
        svg.text(x0 - 4, u.y(v) + 4, std::to_string(v) + " %", " text-anchor=\"end\"");
    write_levels(svg, plot, u);
    for (const PlotLevel& level : plot.levels)
        taken.rules.push_back(u.y(level.percent));
    double last_label = -1e9;
    int label_row = 0;
    for (const PlotSizeChange& c : panel.size_changes) {
        const double x = u.x(c.t);
        // Labels of changes close together go on rows below each other.
        label_row = x - last_label < 60 ? label_row + 1 : 0;
        last_label = x;
        std::string servers;
        for (const std::string& s : c.servers)
            servers += (servers.empty() ? "" : ", ") + s;
        const std::string label = std::to_string(c.from) + "\u2192" + std::to_string(c.to);
        out << "<line class=\"size-change\" x1=\"" << num(x) << "\" y1=\"" << num(u.top())
            << "\" x2=\"" << num(x) << "\" y2=\"" << num(u.bottom())
            << "\" stroke=\"#333333\" stroke-width=\"1.2\" stroke-dasharray=\"1 2\">"
            << title_element("num_addr " + label + " (" + servers + ")") << "</line>\n";
        svg.text(x + 3, u.top() + 10 + 10 * label_row, label, " font-size=\"9\" fill=\"#333333\"");
    }
    for (const ServerPlot& s : panel.servers) {
        out << "<path class=\"utilization\" data-server=\"" << xml_escape(s.server) << "\" d=\""
            << line_path(u, s.utilization) << "\" fill=\"none\" stroke=\"" << plot_color(s.style)
            << "\" stroke-width=\"1.3\"" << dash_attribute(plot_dash(s.style))
            << " stroke-linejoin=\"round\">" << title_element(s.server + ": utilization")
            << "</path>\n";
    }
    if (panel.forecast)
        write_forecast(svg, u, *panel.forecast, "forecast", "the scope's free addresses", plot,
                       taken);
    write_frame(out, u);
    out << "</g>\n";

    double y = u_top + kUtilization;
    for (std::size_t i = 0; i < panel.servers.size(); ++i) {
        const ServerPlot& s = panel.servers[i];
        y += kBandGap;
        const Band b{x0, x1, plot.start, plot.axis_end, y + kFree, y, 0, panel.free_max};
        out << "<g class=\"band free\" data-server=\"" << xml_escape(s.server) << "\""
            << b.attributes() << ">\n";
        write_forecast_zone(out, plot, b);
        write_gridlines(out, plot, b);
        svg.text(x0 - 4, b.y(0) + 4, "0", " text-anchor=\"end\"");
        svg.text(x0 - 4, b.y(panel.free_max) + 8, num(panel.free_max), " text-anchor=\"end\"");
        {
            // The unit, along the axis.
            const double mid = b.y(panel.free_max / 2);
            const double at = x0 - kLeft + 18;
            svg.text(at, mid, "addresses",
                     " font-size=\"9\" text-anchor=\"middle\" fill=\"#555555\" "
                     "transform=\"rotate(-90 " +
                         num(at) + " " + num(mid) + ")\"");
        }
        out << "<path class=\"own-free\" d=\"" << area_path(b, s.own_free) << "\" fill=\""
            << plot_color(s.style) << "\" fill-opacity=\"0.45\" stroke=\"" << plot_color(s.style)
            << "\" stroke-width=\"0.8\">" << title_element(s.server + ": its own free addresses")
            << "</path>\n";
        out << "<path class=\"partner-free\" d=\"" << stacked_path(b, s.stacked_free, s.own_free)
            << "\" fill=\"url(#fostat-partner)\" stroke=\"#555555\" stroke-width=\"0.6\">"
            << title_element(s.server + ": its partner's free addresses") << "</path>\n";
        for (const PlotShade& shade : panel.shades) {
            if (shade.server != s.server)
                continue;
            const double a = b.x(shade.first);
            const double w = std::max(2.0, b.x(shade.last) - a);
            const bool starved = shade.kind == ShadeKind::starved;
            out << "<rect class=\"" << (starved ? "starved" : "imbalance") << "\" x=\"" << num(a)
                << "\" y=\"" << num(b.top()) << "\" width=\"" << num(w) << "\" height=\""
                << num(starved ? kFree / 2.0 : kFree) << "\" fill=\""
                << (starved ? "url(#fostat-starved)" : "url(#fostat-imbalance)") << "\" stroke=\""
                << (starved ? "#8e0000" : "#8a6d00") << "\" stroke-width=\"0.8\">"
                << title_element(shade.text) << "</rect>\n";
        }
        if (s.own_forecast)
            write_forecast(svg, b, *s.own_forecast, "own-forecast",
                           s.server + "'s own free addresses", plot);
        write_frame(out, b);
        svg.text(x0 + 4, b.top() + 11, s.server + ": free addresses, its own below",
                 " font-size=\"10\" fill=\"#222222\"");
        out << "</g>\n";
        y += kFree;
    }
    out << "</g>\n";
}

// The time axis under one grid column whose bands start at `left`.
void write_axis(Svg& svg, const Plot& plot, int left, int top) {
    std::ostream& out = svg.out_;
    const Band b{static_cast<double>(left),
                 static_cast<double>(left + plot.columns),
                 plot.start,
                 plot.axis_end,
                 0,
                 0,
                 0,
                 1};
    out << "<g class=\"x-axis\">\n";
    for (const PlotTick& tick : plot.ticks) {
        const double x = b.x(tick.t);
        svg.line(x, top, x, top + 4, " stroke=\"#333333\"");
        svg.text(x, top + 15, tick.label, " text-anchor=\"middle\"");
    }
    if (plot.axis_end > plot.end) {
        svg.text(b.x(plot.end) + 3, top + 27, "forecast \u2192",
                 " font-size=\"10\" fill=\"#555555\"");
    }
    svg.text(left, top + 27, plot.window_text, " font-size=\"10\" fill=\"#333333\"");
    out << "</g>\n";
}

void write_legend(Svg& svg, const Plot& plot, const Layout& l) {
    std::ostream& out = svg.out_;
    out << "<g class=\"legend\">\n";
    double x = kLeft;
    double y = l.legend_top;
    for (const LegendItem& item : legend_items(plot)) {
        const double w = item_width(item);
        if (x + w > l.width - kRight && x > kLeft) {
            x = kLeft;
            y += kLegendRow;
        }
        const double mid = y + 6;
        if (item.kind == "line") {
            svg.line(x, mid, x + kSwatch, mid,
                     " stroke=\"" + std::string(plot_color(item.style)) +
                         "\" stroke-width=\"1.6\"" + dash_attribute(plot_dash(item.style)));
        } else if (item.kind == "area" || item.kind == "pattern") {
            out << "<rect x=\"" << num(x) << "\" y=\"" << num(mid - 5) << "\" width=\"" << kSwatch
                << "\" height=\"10\" fill=\""
                << (item.kind == "area" ? std::string(plot_color(item.style)) : item.fill) << "\""
                << (item.kind == "area" ? " fill-opacity=\"0.45\"" : "") << " stroke=\"#555555\" "
                << "stroke-width=\"0.6\"/>\n";
        } else if (item.kind == "forecast") {
            out << "<path d=\"M" << num(x) << " " << num(mid + 5) << " L" << num(x + kSwatch) << " "
                << num(mid - 6) << " L" << num(x + kSwatch) << " " << num(mid - 1)
                << " Z\" fill=\"#000000\" fill-opacity=\"0.13\"/>\n";
            svg.line(x, mid + 5, x + kSwatch, mid - 1,
                     " stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"8 4\"");
        } else if (item.kind == "size") {
            svg.line(x + kSwatch / 2, mid - 6, x + kSwatch / 2, mid + 6,
                     " stroke=\"#333333\" stroke-width=\"1.2\" stroke-dasharray=\"1 2\"");
        } else {
            triangle(out, x + kSwatch / 2, mid - 4, item.kind == "critical", item.label);
        }
        svg.text(x + kSwatch + 6, mid + 4, item.label);
        x += w;
    }
    out << "</g>\n";
}

}  // namespace

std::string_view plot_color(int style) {
    return kColors[static_cast<std::size_t>(style) % kColors.size()];
}

std::string_view plot_dash(int style) {
    return kDashes[static_cast<std::size_t>(style) % kDashes.size()];
}

int plot_grid_columns(std::size_t scopes) {
    return scopes <= 3 ? 1 : scopes <= 8 ? 2 : 3;
}

int plot_panel_columns(std::size_t scopes) {
    switch (plot_grid_columns(scopes)) {
        case 1:
            return 720;
        case 2:
            return 480;
        default:
            return 360;
    }
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&quot;";
                    break;
                case '\'':
                    out += "&apos;";
                    break;
                default:
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                        out += kReplacement;
                    else
                        out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // A well-formed UTF-8 character is kept (text.h decode_utf8), except those XML 1.0
        // forbids or discourages and a viewer may act on: the C1 controls, U+FFFE, U+FFFF.
        // Anything else is one U+FFFD per byte.
        const Utf8Char u = decode_utf8(text, i);
        if (u.length == 0 || is_control(u.code) || u.code == 0xFFFE || u.code == 0xFFFF) {
            out += kReplacement;
            i += u.length == 0 ? 1 : u.length;
            continue;
        }
        out.append(text.substr(i, u.length));
        i += u.length;
    }
    return out;
}

void write_svg(const Plot& plot, std::ostream& out) {
    const Layout l = layout(plot);
    Svg svg(out);
    std::string scopes;
    for (const ScopePlot& panel : plot.scopes)
        scopes += (scopes.empty() ? "" : ", ") + panel.scope;

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << l.width
        << "\" height=\"" << l.height << "\" viewBox=\"0 0 " << l.width << " " << l.height
        << "\" font-family=\"sans-serif\" font-size=\"11\" data-fostat-plot=\"1\">\n";
    out << title_element("fostat: " + scopes + ", " + plot.window_text) << "\n";
    out << "<desc>Made by fostat-query plot. Per scope: utilization (addr_in_use / num_addr, "
           "percent) of each server; per server its free addresses, its own "
           "(this_addr_free) below and its partner's (partner_addr_free) stacked above, "
           "hatched; imbalance and starved episodes shaded; invariant episodes marked by "
           "triangles (filled: critical); num_addr changes as dotted vertical lines; the "
           "trend forecast dashed through the fitted daily peak (of the utilization) or trough (of "
           "a "
           "server's own free addresses), its band reaching the target at the earliest likely "
           "date; the warning and critical utilization levels as lines. Each series keeps the "
           "samples with "
           "the lowest and the "
           "highest value in each pixel column. Axis mapping of each band (class band): "
           "x = data-x0 + (t - data-t0) * (data-x1 - data-x0) / (data-t1 - data-t0), "
           "y = data-y0 + (v - data-v0) * (data-y1 - data-y0) / (data-v1 - data-v0), "
           "t in Unix seconds. Times shown in "
        << xml_escape(plot.zone) << ".</desc>\n";
    write_plot_defs(out);
    out << "<rect width=\"" << l.width << "\" height=\"" << l.height << "\" fill=\"#ffffff\"/>\n";
    // The scopes' names when they fit; else how many, from the first to the last.
    std::string heading = "fostat-query plot: " + scopes;
    if (static_cast<double>(heading.size()) * kCharWidth * 14 / 11 > l.width - kLeft - kRight) {
        heading = "fostat-query plot: " + std::to_string(plot.scopes.size()) + " scopes, " +
                  plot.scopes.front().scope + " to " + plot.scopes.back().scope;
    }
    svg.text(kLeft, 18, heading, " font-size=\"14\" font-weight=\"bold\"");
    svg.text(kLeft, 34, plot.window_text, " fill=\"#333333\"");
    for (std::size_t i = 0; i < plot.scopes.size(); ++i)
        write_panel(svg, plot, plot.scopes[i], l, l.panels[i].first, l.panels[i].second);
    for (int c = 0; c < l.grid && static_cast<std::size_t>(c) < plot.scopes.size(); ++c)
        write_axis(svg, plot, kLeft + c * (l.cell_width + kGridGap), l.axis_top);
    write_legend(svg, plot, l);
    out << "</svg>\n";
}

}  // namespace fostat
