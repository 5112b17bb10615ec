#include "reports/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "analyses/plot.h"
#include "formats/json_text.h"
#include "reports/svg.h"

namespace fostat {
namespace {

// Severities are told by a shape and a word as well as by colour.
std::string badge(const std::optional<Severity>& severity) {
    if (!severity)
        return "<span class=\"badge ok\">&#10003; ok</span>";
    switch (*severity) {
        case Severity::critical:
            return "<span class=\"badge critical\">&#9650; critical</span>";
        case Severity::warning:
            return "<span class=\"badge warning\">&#9632; warning</span>";
        case Severity::info:
            break;
    }
    return "<span class=\"badge info\">&#9679; info</span>";
}

std::string severity_word(const std::optional<Severity>& severity) {
    return severity ? std::string(to_string(*severity)) : "ok";
}

std::string fixed(double v, int decimals) {
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

// "2026-11-24 08:00" in the zone of `time`.
std::string minute(std::int64_t t, const TimeFormatter& time) {
    const std::string iso = time.format(t);
    return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::string day(std::int64_t t, const TimeFormatter& time) {
    return time.format(t).substr(0, 10);
}

std::string age(std::int64_t seconds) {
    if (seconds < 0)
        seconds = 0;
    if (seconds < 3600)
        return std::to_string(seconds / 60) + " min";
    if (seconds < 2 * kDaySeconds)
        return fixed(static_cast<double>(seconds) / 3600, 1) + " h";
    return fixed(static_cast<double>(seconds) / kDaySeconds, 1) + " days";
}

// The row id of a scope: its place in the report.
std::string row_id(std::size_t i) {
    return "s-" + std::to_string(i);
}

std::string finding_text(const ScopeFinding& f, const TimeFormatter& time) {
    std::string when;
    if (f.what == "runs out")
        when = day(f.first, time);
    else if (f.first == f.last)
        when = minute(f.first, time);
    else
        when = minute(f.first, time) + " to " + minute(f.last, time);
    std::string text = f.what;
    if (!f.server.empty())
        text += " " + f.server;
    return text + " " + when + ": " + f.text;
}

// A sparkline of the scope's highest utilization per column (every third column), 0..100 %,
// with the warning level: 3 pixels a point, 24 high, drawn in whole units of a view box twice
// that size (half pixels) with the path in relative steps, a level run in one, so that 2,000
// of them stay small.
std::string sparkline(const ScopeRow& row, int columns, double warning) {
    constexpr int kStep = 3;
    const int points = (columns + kStep - 1) / kStep;
    const auto y_of = [](double percent) { return 48 - std::lround(percent * 0.48); };
    std::string path;
    bool pen = false;
    long x0 = 0, y0 = 0;
    long level_to = -1;  // the end of a level run not yet written
    const auto flush_level = [&] {
        if (level_to > x0) {
            path += "h" + std::to_string(level_to - x0);
            x0 = level_to;
        }
        level_to = -1;
    };
    for (int p = 0; p < points; ++p) {
        std::optional<double> v;
        for (int c = p * kStep; c < std::min(columns, (p + 1) * kStep); ++c) {
            for (const ServerRow& s : row.servers) {
                const auto& u = s.utilization[static_cast<std::size_t>(c)];
                if (u && (!v || *u > *v))
                    v = u;
            }
        }
        if (!v) {
            flush_level();
            pen = false;
            continue;
        }
        const long x = 6L * p, y = y_of(*v);
        if (pen && y == y0) {
            level_to = x;  // a level run is one step to its end
            continue;
        }
        flush_level();
        if (pen)
            path += "l" + std::to_string(x - x0) + " " + std::to_string(y - y0);
        else
            path += "M" + std::to_string(x) + " " + std::to_string(y);
        x0 = x;
        y0 = y;
        pen = true;
    }
    flush_level();
    const int span = std::max(1, points - 1);
    const std::string level = std::to_string(y_of(warning));
    std::string text = "<svg class=\"spark\" width=\"" + std::to_string(3 * span) +
                       "\" height=\"24\" viewBox=\"0 0 " + std::to_string(6 * span) +
                       " 48\" role=\"img\" aria-label=\"utilization over the window";
    if (row.peak)
        text += ", peak " + fixed(*row.peak, 1) + " %";
    text +=
        "\"><path class=\"spark-level\" d=\"M0 " + level + "h" + std::to_string(6 * span) + "\"/>";
    if (!path.empty())
        text += "<path d=\"" + path + "\"/>";
    return text + "</svg>";
}

// Base64 of one byte per column: 0..250 on the scale `top`, 255 where there is no value.
std::string column_bytes(const std::vector<std::optional<double>>& values, double top) {
    static constexpr char kDigits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    for (const auto& v : values) {
        bytes.push_back(static_cast<char>(
            v ? static_cast<unsigned char>(std::lround(std::clamp(*v / top, 0.0, 1.0) * 250))
              : 255));
    }
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const auto b = [&](std::size_t k) {
            return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u;
        };
        const unsigned n = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
        out.push_back(kDigits[(n >> 18) & 63]);
        out.push_back(kDigits[(n >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? kDigits[(n >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? kDigits[n & 63] : '=');
    }
    return out;
}

void append_key(std::string& out, std::string_view key) {
    append_json_string(out, key);
    out.push_back(':');
}

// A list of JSON values, each written by `item`.
template <typename List, typename Item>
void append_list(std::string& out, const List& list, Item item) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : list) {
        if (!first)
            out.push_back(',');
        first = false;
        item(out, element);
    }
    out.push_back(']');
}

// The charts' data (the page's script draws plot's picture from it): the axis, the levels, the
// servers' styles, and per scope (in row order) each server's columns and forecast, the
// invariant marks, the imbalance and starved episodes, the size changes, the scope's forecast.
// Times are in columns of the window, to a tenth (beyond the last column in the forecast zone,
// up to axis_end); values in percent or addresses. '<' is escaped so that no text ends the
// script element.
std::string chart_data(const SiteReport& report, const TimeFormatter& time,
                       const HtmlReportOptions& options) {
    const auto columns_at = [&](std::int64_t t) {
        return fixed(static_cast<double>(report.columns) * static_cast<double>(t - report.start) /
                         static_cast<double>(std::max<std::int64_t>(1, report.end - report.start)),
                     1);
    };
    const auto column = [&](std::int64_t t) {
        return std::to_string(report_column(t, report.start, report.end, report.columns));
    };
    // Every server in name order: its index is its style, as in plot.
    std::vector<std::string> servers;
    for (const ScopeRow& row : report.scopes) {
        for (const ServerRow& s : row.servers)
            servers.push_back(s.status.series.server);
    }
    std::sort(servers.begin(), servers.end());
    servers.erase(std::unique(servers.begin(), servers.end()), servers.end());
    const auto style_of = [&](const std::string& server) {
        return std::lower_bound(servers.begin(), servers.end(), server) - servers.begin();
    };
    const auto forecast = [&](std::string& out, const PlotForecast& f) {
        const auto point = [&](std::string& text, const PlotPoint& p) {
            text += "[" + columns_at(p.t) + "," + fixed(p.v, 1) + "]";
        };
        out += "{";
        append_key(out, "line");
        append_list(out, f.line, point);
        out += ",";
        append_key(out, "band");
        append_list(out, f.band, point);
        out += ",";
        append_key(out, "dates");
        out += "[";
        append_json_string(out, day(f.reaches_at, time));
        out += ",";
        append_json_string(out, day(f.earliest, time));
        out += "]}";
    };

    std::string out = "{";
    append_key(out, "columns");
    out += std::to_string(report.columns) + ",";
    append_key(out, "levels");
    out += "[" + fixed(options.warning, 1) + "," + fixed(options.critical, 1) + "],";
    append_key(out, "ticks");
    append_list(out, time_ticks(report.start, report.end, time, 8),
                [&](std::string& text, const PlotTick& tick) {
                    text += "[" + columns_at(tick.t) + ",";
                    append_json_string(text, tick.label);
                    text += "]";
                });
    out += ",";
    append_key(out, "servers");
    append_list(out, servers, [&](std::string& text, const std::string& server) {
        const int style = static_cast<int>(style_of(server));
        text += "[";
        append_json_string(text, server);
        text += ",";
        append_json_string(text, plot_color(style));
        text += ",";
        append_json_string(text, plot_dash(style));
        text += "]";
    });
    out += ",";
    append_key(out, "scopes");
    append_list(out, report.scopes, [&](std::string& text, const ScopeRow& row) {
        text += "{";
        append_key(text, "scope");
        append_json_string(text, row.scope);
        text += ",";
        append_key(text, "free_max");
        text += fixed(row.free_max, 0) + ",";
        if (row.runs_out) {
            append_key(text, "runs_out");
            append_json_string(text, day(*row.runs_out, time));
            text += ",";
        }
        if (row.axis_end > report.end) {
            append_key(text, "axis_end");
            text += columns_at(row.axis_end) + ",";
        }
        if (row.forecast) {
            append_key(text, "forecast");
            forecast(text, *row.forecast);
            text += ",";
        }
        // The servers of a scope see the same addresses in use: a utilization the same as an
        // earlier server's is that server's index.
        std::vector<std::string> utilization;
        append_key(text, "servers");
        append_list(text, row.servers, [&](std::string& t, const ServerRow& s) {
            t += "{";
            append_key(t, "style");
            t += std::to_string(style_of(s.status.series.server)) + ",";
            append_key(t, "u");
            std::string u = column_bytes(s.utilization, 100);
            const auto same = std::find(utilization.begin(), utilization.end(), u);
            if (same != utilization.end())
                t += std::to_string(same - utilization.begin());
            else
                append_json_string(t, u);
            utilization.push_back(std::move(u));
            t += ",";
            append_key(t, "own");
            append_json_string(t, column_bytes(s.own_free, row.free_max));
            t += ",";
            append_key(t, "stack");
            append_json_string(t, column_bytes(s.stacked_free, row.free_max));
            if (s.own_forecast) {
                t += ",";
                append_key(t, "own_forecast");
                forecast(t, *s.own_forecast);
            }
            t += "}";
        });
        // Invariant episodes (and staleness) are marked above the utilization band; imbalance
        // and starved episodes shade their server's band; size changes are lines. The
        // exhaustion date is the forecast's and a utilization level the line's. Each names
        // the finding's place in the row's list, whose text is its tooltip.
        std::vector<std::size_t> marks, shades;
        for (std::size_t k = 0; k < row.findings.size(); ++k) {
            const std::string& what = row.findings[k].what;
            if (what == "imbalance" || what == "starved")
                shades.push_back(k);
            else if (what != "runs out" && what != "utilization" && what != "size-change")
                marks.push_back(k);
        }
        text += ",";
        append_key(text, "marks");
        append_list(text, marks, [&](std::string& t, std::size_t k) {
            const ScopeFinding& f = row.findings[k];
            t += "[" + column(f.first) + "," + column(f.last) + ",";
            append_json_string(t, severity_word(f.severity));
            t += "," + std::to_string(k) + "]";
        });
        text += ",";
        append_key(text, "shades");
        append_list(text, shades, [&](std::string& t, std::size_t k) {
            const ScopeFinding& f = row.findings[k];
            t += "[" + std::to_string(style_of(f.server)) + "," + column(f.first) + "," +
                 column(f.last) + ",";
            append_json_string(t, f.what);
            t += "," + std::to_string(k) + "]";
        });
        text += ",";
        append_key(text, "sizes");
        append_list(text, row.size_changes, [&](std::string& t, const PlotSizeChange& c) {
            std::string servers_text;
            for (const std::string& s : c.servers)
                servers_text += (servers_text.empty() ? "" : ", ") + s;
            t += "[" + columns_at(c.t) + ",";
            append_json_string(t, std::to_string(c.from) + "\u2192" + std::to_string(c.to));
            t += ",";
            append_json_string(t, servers_text);
            t += "]";
        });
        text += "}";
    });
    out += "}";
    std::string safe;
    safe.reserve(out.size());
    for (const char c : out) {
        if (c == '<')
            safe += "\\u003c";
        else
            safe.push_back(c);
    }
    return safe;
}

constexpr std::string_view kStyle = R"css(
:root { --critical: #b00020; --warning: #9a6700; --info: #0550ae; --ok: #1a7f37; --line: #444; }
body { font-family: sans-serif; margin: 1em 2em; color: #111; background: #fff; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.badge { font-weight: bold; white-space: nowrap; }
.badge.critical { color: var(--critical); }
.badge.warning { color: var(--warning); }
.badge.info { color: var(--info); }
.badge.ok { color: var(--ok); }
.counts span { margin-right: 1.5em; }
.spark { background: #f4f4f4; }
svg.defs { position: absolute; }
.spark path { fill: none; stroke: var(--line); stroke-width: 2.4; }
.spark path.spark-level { stroke: var(--warning); stroke-width: 2; stroke-dasharray: 4 4; }
ul.findings { margin: 0; padding-left: 1.1em; }
ul.findings li.critical::marker { content: "\25B2  "; color: var(--critical); }
ul.findings li.warning::marker { content: "\25A0  "; color: var(--warning); }
ul.findings li.info::marker { content: "\25CF  "; color: var(--info); }
#filters label { margin-right: 1em; }
th button { font: inherit; font-weight: bold; background: none; border: none; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \2191"; }
th[aria-sort="descending"] button::after { content: " \2193"; }
.chart svg { font-size: 11px; }
.chart .chart-title { font-weight: bold; }
.chart .label { font-size: 10px; fill: #222; stroke: #fff; stroke-width: 2.5px; stroke-linejoin: round; }
.chart .grid { stroke: #d0d0d0; stroke-width: 0.8; }
.chart .tick { stroke: #333; }
.chart .frame { fill: none; stroke: #777; stroke-width: 0.8; }
.chart .level { stroke: #444; stroke-width: 1; }
.chart .level.warning { stroke-width: 0.9; stroke-dasharray: 5 3; }
.chart .size-change { stroke: #333; stroke-width: 1.2; stroke-dasharray: 1 2; }
.chart .util { fill: none; stroke-width: 1.3; stroke-linejoin: round; }
.chart .own-free { fill-opacity: 0.45; stroke-width: 0.8; }
.chart .partner-free { fill: url(#fostat-partner); stroke: #555; stroke-width: 0.6; }
.chart .imbalance { fill: url(#fostat-imbalance); stroke: #8a6d00; stroke-width: 0.8; }
.chart .starved { fill: url(#fostat-starved); stroke: #8e0000; stroke-width: 0.8; }
.chart .forecast-zone { fill: #f3f3f3; }
.chart .forecast { fill: none; stroke: #000; stroke-width: 1.5; stroke-dasharray: 8 4; }
.chart .forecast-band { fill: #000; fill-opacity: 0.13; stroke: none; }
.chart .forecast-end { fill: #fff; stroke: #000; stroke-width: 1.5; }
.chart .mark { stroke-width: 1.3; }
.chart .mark.critical, .chart .mark-bar.critical { fill: #b71c1c; stroke: #b71c1c; }
.chart .mark.warning, .chart .mark.info { fill: #fff; stroke: #e65100; }
.chart .mark-bar.warning, .chart .mark-bar.info { fill: #e65100; }
.chart .runs-out { font-weight: bold; fill: var(--critical); }
@media print {
  #filters, button.open-chart, th[aria-sort] button::after { display: none; }
  tr.scope { display: table-row !important; }
  a { color: inherit; text-decoration: none; }
}
)css";

// Sorting, filtering and drawing a chart when its row is opened. Plain ES2017, no library.
constexpr std::string_view kScript = R"js(
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("fostat-data").textContent);
  const body = document.querySelector("#scopes tbody");
  const rows = Array.from(body.querySelectorAll("tr.scope"));
  const shown = document.getElementById("shown");
  const filters = ["filter-server", "filter-relationship", "filter-severity", "filter-text"]
    .map((id) => document.getElementById(id));
  const severityRank = { ok: 0, info: 1, warning: 2, critical: 3 };

  function matches(row) {
    const [server, relationship, severity, text] = filters.map((f) => f.value);
    if (server && !row.dataset.servers.split(" ").includes(server)) return false;
    if (relationship && !row.dataset.relationships.split(" ").includes(relationship)) return false;
    if (severity && severityRank[row.dataset.severity] < severityRank[severity]) return false;
    if (text && !row.textContent.toLowerCase().includes(text.toLowerCase())) return false;
    return true;
  }
  // A scope's chart row, made when the chart is first opened; null before.
  function chartRowOf(row) {
    const next = row.nextElementSibling;
    return next && next.classList.contains("chart-row") ? next : null;
  }
  function applyFilters() {
    let count = 0;
    for (const row of rows) {
      const visible = matches(row);
      row.hidden = !visible;
      const chart = chartRowOf(row);
      if (chart) chart.hidden = !visible || chart.dataset.open !== "1";
      if (visible) count++;
    }
    shown.textContent = count + " of " + rows.length + " scopes";
  }
  for (const f of filters) {
    f.addEventListener("input", applyFilters);
    f.addEventListener("change", applyFilters);
  }

  document.querySelectorAll("th button[data-sort]").forEach((button) => {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      const header = button.closest("th");
      const descending = header.getAttribute("aria-sort") === "ascending";
      document.querySelectorAll("th[aria-sort]").forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const value = (row) => {
        const v = row.dataset[key];
        return v === "" ? null : Number(v);
      };
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        if (x === y) return Number(a.dataset.rank) - Number(b.dataset.rank);
        if (x === null) return 1;
        if (y === null) return -1;
        return descending ? y - x : x - y;
      });
      for (const row of rows) {
        const chart = chartRowOf(row);
        body.appendChild(row);
        if (chart) body.appendChild(chart);
      }
    });
  });

  // A scope's chart: plot's picture (docs/cli.md#plot) at the report's columns. Invariant
  // marks above the utilization band; the band with each server's utilization, the levels,
  // the size changes and the scope's forecast; then a band per server with its own free
  // addresses (area), its partner's stacked on them (hatched), its imbalance and starved
  // episodes and its own forecast; the time axis and a legend below.
  const SVG = "http://www.w3.org/2000/svg";
  function element(name, attributes, parent, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function titled(e, text) {
    element("title", {}, e, text);
    return e;
  }
  function columns(base64, top) {
    const bytes = atob(base64);
    const out = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.charCodeAt(i);
      out.push(b === 255 ? null : top * b / 250);
    }
    return out;
  }
  // Runs of columns with a value, as [[column, value], ...] each.
  function runs(values) {
    const out = [];
    let run = null;
    values.forEach((v, c) => {
      if (v === null) { run = null; return; }
      if (!run) out.push(run = []);
      run.push([c, v]);
    });
    return out;
  }
  const xy = (band, points) => points.map(([p, v]) => band.x(p).toFixed(1) + " " + band.y(v).toFixed(1));
  const linePath = (band, values) =>
    runs(values).map((run) => "M" + xy(band, run.map(([c, v]) => [c + 0.5, v])).join(" L")).join(" ");
  function areaPath(band, top, below) {
    return runs(top).map((run) => {
      const first = run[0][0], last = run[run.length - 1][0];
      const under = [];
      for (let c = last; c >= first; c--) under.push([c + 0.5, below ? (below[c] === null ? 0 : Math.min(below[c], top[c])) : 0]);
      return "M" + xy(band, run.map(([c, v]) => [c + 0.5, v]).concat(under)).join(" L") + " Z";
    }).join(" ");
  }
  const layout = { width: 780, left: 64, right: 16, title: 22, marks: 12, utilization: 104, gap: 8, free: 56, axis: 34 };
  function makeBand(scope, top, height, v1) {
    const w = layout.width - layout.left - layout.right;
    const axisEnd = Math.max(data.columns, scope.axis_end || 0);
    return {
      top, bottom: top + height, x0: layout.left, x1: layout.left + w,
      x: (p) => layout.left + w * p / axisEnd,
      y: (v) => top + height * (1 - v / v1),
    };
  }
  function frame(svg, band, scope) {
    if ((scope.axis_end || 0) > data.columns) {
      element("rect", { class: "forecast-zone", x: band.x(data.columns), y: band.top,
        width: band.x1 - band.x(data.columns), height: band.bottom - band.top }, svg);
    }
    for (const [p] of data.ticks) {
      element("line", { class: "grid", x1: band.x(p), x2: band.x(p), y1: band.top, y2: band.bottom }, svg);
    }
  }
  function border(svg, band) {
    element("rect", { class: "frame", x: band.x0, y: band.top, width: band.x1 - band.x0,
      height: band.bottom - band.top }, svg);
  }
  function forecastOf(svg, band, f, what, target) {
    const said = what + " run out " + f.dates[0] + (f.dates[1] !== f.dates[0] ? ", earliest likely " + f.dates[1] : "");
    if (f.band.length >= 3) {
      titled(element("path", { class: "forecast-band", d: "M" + xy(band, f.band).join(" L") + " Z" }, svg),
        said + "; the band reaches it at the earliest likely date (1 in 10 that it comes sooner)");
    }
    if (f.line.length >= 2) {
      titled(element("path", { class: "forecast", d: "M" + xy(band, f.line).join(" L") }, svg), said);
      const [p, v] = f.line[f.line.length - 1];
      if (v === target) element("circle", { class: "forecast-end", cx: band.x(p), cy: band.y(v), r: 3 }, svg);
    }
  }
  function draw(container, scope, row) {
    const n = data.columns;
    const findings = Array.from(row.querySelectorAll("ul.findings li"), (li) => li.textContent);
    const servers = scope.servers;
    const legendTop = layout.title + layout.marks + layout.utilization + servers.length * (layout.gap + layout.free) + layout.axis;
    const height = legendTop + 3 * 18;
    const svg = element("svg", { width: layout.width, height, viewBox: "0 0 " + layout.width + " " + height,
      role: "img", "aria-label": "utilization and free addresses of " + scope.scope });
    element("text", { x: layout.left, y: 14, class: "chart-title" }, svg, scope.scope);
    if (scope.runs_out) {
      element("text", { x: layout.width - layout.right, y: 14, "text-anchor": "end", class: "runs-out" }, svg,
        "free addresses run out " + scope.runs_out + " (earliest likely)");
    }
    const u = makeBand(scope, layout.title + layout.marks, layout.utilization, 100);
    // Invariant marks: a triangle at the episode's start, filled when critical, a bar along it.
    const marks = scope.marks.slice().sort((a, b) => severityRank[a[2]] - severityRank[b[2]]);
    for (const [c0, c1, severity, k] of marks) {
      const a = u.x(c0), z = u.x(c1 + 1);
      if (c1 > c0) element("rect", { class: "mark-bar " + severity, x: a, y: u.top - 3, width: z - a, height: 2 }, svg);
      titled(element("path", { class: "mark " + severity, d: "M" + (a - 4) + " " + (u.top - layout.marks + 1) + "h8l-4 7z" }, svg),
        severity + ": " + findings[k]);
    }
    frame(svg, u, scope);
    for (const v of [25, 50, 75]) element("line", { class: "grid", x1: u.x0, x2: u.x1, y1: u.y(v), y2: u.y(v) }, svg);
    for (const v of [0, 50, 100]) element("text", { x: u.x0 - 4, y: u.y(v) + 4, "text-anchor": "end" }, svg, v + " %");
    data.levels.forEach((level, i) => {
      const name = i ? "critical" : "warning";
      titled(element("line", { class: "level " + name, x1: u.x0, x2: u.x1, y1: u.y(level), y2: u.y(level) }, svg),
        name + " " + level + " %");
      element("text", { class: "label", "paint-order": "stroke", x: u.x0 + 3, y: u.y(level) + (i || u.y(level) - u.y(data.levels[1]) >= 10 ? -2 : 9) }, svg,
        name + " " + level + " %");
    });
    let lastLabel = -1e9, labelRow = 0;
    for (const [p, label, who] of scope.sizes) {
      const x = u.x(p);
      labelRow = x - lastLabel < 60 ? labelRow + 1 : 0;
      lastLabel = x;
      titled(element("line", { class: "size-change", x1: x, x2: x, y1: u.top, y2: u.bottom }, svg),
        "num_addr " + label + " (" + who + ")");
      element("text", { class: "label", "paint-order": "stroke", x: x + 3, y: u.top + 10 + 10 * labelRow }, svg, label);
    }
    for (const server of servers) {
      const [name, colour, dash] = data.servers[server.style];
      const used = typeof server.u === "number" ? servers[server.u].u : server.u;
      titled(element("path", { class: "util", d: linePath(u, columns(used, 100)), stroke: colour,
        "stroke-dasharray": dash || "none" }, svg), name + ": utilization");
    }
    if (scope.forecast) forecastOf(svg, u, scope.forecast, "the scope's free addresses", 100);
    border(svg, u);
    let y = u.bottom;
    servers.forEach((server, i) => {
      const [name, colour] = data.servers[server.style];
      const b = makeBand(scope, y + layout.gap, layout.free, scope.free_max);
      y = b.bottom;
      frame(svg, b, scope);
      element("text", { x: b.x0 - 4, y: b.bottom + 4, "text-anchor": "end" }, svg, "0");
      element("text", { x: b.x0 - 4, y: b.top + 8, "text-anchor": "end" }, svg, String(scope.free_max));
      const own = columns(server.own, scope.free_max), stack = columns(server.stack, scope.free_max);
      titled(element("path", { class: "own-free", d: areaPath(b, own), fill: colour, stroke: colour }, svg),
        name + ": its own free addresses");
      titled(element("path", { class: "partner-free", d: areaPath(b, stack, own) }, svg),
        name + ": its partner's free addresses");
      for (const [style, c0, c1, kind, k] of scope.shades) {
        if (style !== server.style) continue;
        titled(element("rect", { class: kind, x: b.x(c0), y: b.top, width: Math.max(2, b.x(c1 + 1) - b.x(c0)),
          height: kind === "starved" ? layout.free / 2 : layout.free }, svg), findings[k]);
      }
      if (server.own_forecast) forecastOf(svg, b, server.own_forecast, name + "'s own free addresses", 0);
      border(svg, b);
      element("text", { class: "label", "paint-order": "stroke", x: b.x0 + 4, y: b.top + 11 }, svg, name + ": free addresses, its own below");
    });
    for (const [p, label] of data.ticks) {
      element("line", { class: "tick", x1: u.x(p), x2: u.x(p), y1: y, y2: y + 4 }, svg);
      element("text", { x: u.x(p), y: y + 15, "text-anchor": "middle" }, svg, label);
    }
    if ((scope.axis_end || 0) > n) element("text", { class: "label", "paint-order": "stroke", x: u.x(n) + 3, y: y + 27 }, svg, "forecast \u2192");
    legend(svg, servers, legendTop);
    container.appendChild(svg);
  }
  // Every item has its shape beside its word, as plot's legend.
  function legend(chart, servers, top) {
    const svg = element("g", { class: "legend" }, chart);
    const items = [];
    for (const server of servers) {
      const [name, colour, dash] = data.servers[server.style];
      items.push([name + ": utilization", (x, y) => element("line", { class: "util", x1: x, x2: x + 22, y1: y, y2: y, stroke: colour, "stroke-dasharray": dash || "none" }, svg)]);
      items.push([name + ": its own free", (x, y) => element("rect", { class: "own-free", x, y: y - 5, width: 22, height: 10, fill: colour, stroke: colour }, svg)]);
    }
    for (const [label, kind] of [["partner's free", "partner-free"], ["imbalance", "imbalance"], ["starved", "starved"]]) {
      items.push([label, (x, y) => element("rect", { class: kind, x, y: y - 5, width: 22, height: 10 }, svg)]);
    }
    items.push(["forecast and its band", (x, y) => {
      element("path", { class: "forecast-band", d: "M" + x + " " + (y + 5) + "l22 -11v5z" }, svg);
      element("path", { class: "forecast", d: "M" + x + " " + (y + 5) + "l22 -6" }, svg);
    }]);
    items.push(["num_addr change", (x, y) => element("line", { class: "size-change", x1: x + 11, x2: x + 11, y1: y - 6, y2: y + 6 }, svg)]);
    items.push(["critical invariant", (x, y) => element("path", { class: "mark critical", d: "M" + (x + 7) + " " + (y - 4) + "h8l-4 7z" }, svg)]);
    items.push(["warning invariant", (x, y) => element("path", { class: "mark warning", d: "M" + (x + 7) + " " + (y - 4) + "h8l-4 7z" }, svg)]);
    let x = layout.left, y = top + 6;
    for (const [label, swatch] of items) {
      const w = 22 + 6 + label.length * 6 + 14;
      if (x + w > layout.width - layout.right && x > layout.left) { x = layout.left; y += 18; }
      swatch(x, y);
      element("text", { x: x + 28, y: y + 4 }, svg, label);
      x += w;
    }
  }
  body.addEventListener("click", (event) => {
    const button = event.target.closest("button.open-chart");
    if (!button) return;
    const row = button.closest("tr.scope");
    let chartRow = chartRowOf(row);
    if (!chartRow) {
      chartRow = document.createElement("tr");
      chartRow.className = "chart-row";
      const cell = chartRow.insertCell();
      cell.colSpan = row.cells.length;
      const container = document.createElement("div");
      container.className = "chart";
      cell.appendChild(container);
      draw(container, data.scopes[Number(row.dataset.rank)], row);
      row.after(chartRow);
    }
    const open = chartRow.dataset.open !== "1";
    chartRow.dataset.open = open ? "1" : "0";
    chartRow.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  });
})();
)js";

void write_header(const SiteReport& report, const TimeFormatter& time,
                  const HtmlReportOptions& options, std::ostream& out) {
    out << "<header>\n<h1>DHCP failover scopes: what needs attention</h1>\n"
        << "<p>" << report.scopes.size() << " scopes, " << report.servers.size()
        << " servers; samples from " << xml_escape(minute(report.start, time)) << " to "
        << xml_escape(minute(report.end, time)) << " (" << xml_escape(options.zone)
        << "); report made " << xml_escape(minute(report.now, time)) << ". Utilization levels: "
        << "warning " << fixed(options.warning, 1) << " %, critical " << fixed(options.critical, 1)
        << " %.</p>\n"
        << "<p class=\"counts\" id=\"counts\"><span>" << badge(Severity::critical) << " "
        << report.critical << "</span><span>" << badge(Severity::warning) << " " << report.warning
        << "</span><span>" << badge(Severity::info) << " " << report.info
        << "</span> findings</p>\n</header>\n";

    out << "<section id=\"health\">\n<h2>Collection</h2>\n<table>\n<thead><tr><th>server</th>"
           "<th>newest sample</th><th class=\"num\">age</th><th class=\"num\">gaps</th>"
           "<th>status</th></tr></thead>\n<tbody>\n";
    for (const ServerHealth& s : report.servers) {
        out << "<tr><td>" << xml_escape(s.server) << "</td><td>"
            << xml_escape(minute(s.newest, time)) << "</td><td class=\"num\">"
            << age(report.now - s.newest) << "</td><td class=\"num\">" << s.gaps << "</td><td>"
            << (s.stale ? badge(Severity::warning) + " stale" : badge(std::nullopt))
            << "</td></tr>\n";
    }
    out << "</tbody>\n</table>\n";

    out << "<h2>Relationships</h2>\n<table>\n<thead><tr><th>relationship</th><th>mode</th>"
           "<th class=\"num\">scopes</th><th>servers: role, expected share, state</th></tr>"
           "</thead>\n<tbody>\n";
    for (const RelationshipRow& r : report.relationships) {
        out << "<tr><td>" << (r.name.empty() ? "(unnamed)" : xml_escape(r.name)) << "</td><td>"
            << to_string(r.mode) << "</td><td class=\"num\">" << r.scopes << "</td><td>";
        for (std::size_t i = 0; i < r.members.size(); ++i) {
            const auto& m = r.members[i];
            out << (i ? "; " : "") << xml_escape(m.server) << ": "
                << (m.role.empty() ? "" : xml_escape(m.role) + ", ") << fixed(m.expected_share, 0)
                << " %, " << to_string(m.state)
                << (m.state == State::normal ? "" : " " + badge(Severity::warning));
        }
        out << "</td></tr>\n";
    }
    out << "</tbody>\n</table>\n</section>\n";
}

// A name in a data attribute that the script splits on spaces, and in the filter's option
// that must equal it: a space inside the name becomes U+00A0 in both.
std::string token(std::string_view name) {
    std::string out;
    for (const char c : name) {
        if (c == ' ')
            out += "\xC2\xA0";
        else
            out.push_back(c);
    }
    return xml_escape(out);
}

void write_filters(const SiteReport& report, std::ostream& out) {
    std::set<std::string> servers, relationships;
    for (const ScopeRow& row : report.scopes) {
        for (const ServerRow& s : row.servers) {
            servers.insert(s.status.series.server);
            relationships.insert(s.relationship.name);
        }
    }
    out << "<form id=\"filters\" onsubmit=\"return false\">\n<label>server <select "
           "id=\"filter-server\"><option value=\"\">all</option>";
    for (const std::string& s : servers)
        out << "<option value=\"" << token(s) << "\">" << xml_escape(s) << "</option>";
    out << "</select></label>\n<label>relationship <select id=\"filter-relationship\">"
           "<option value=\"\">all</option>";
    for (const std::string& r : relationships) {
        if (!r.empty())
            out << "<option value=\"" << token(r) << "\">" << xml_escape(r) << "</option>";
    }
    out << "</select></label>\n<label>severity <select id=\"filter-severity\"><option "
           "value=\"\">all</option><option value=\"info\">info or worse</option><option "
           "value=\"warning\">warning or worse</option><option "
           "value=\"critical\">critical</option></select></label>\n<label>text <input "
           "id=\"filter-text\" type=\"search\" placeholder=\"scope, server, finding\"></label>\n"
           "</form>\n<p id=\"shown\">"
        << report.scopes.size() << " of " << report.scopes.size() << " scopes</p>\n";
}

void write_scope_row(const SiteReport& report, std::size_t i, const TimeFormatter& time,
                     double warning, std::ostream& out) {
    const ScopeRow& row = report.scopes[i];
    std::string servers, relationships;
    State state = State::normal;
    for (const ServerRow& s : row.servers) {
        servers += (servers.empty() ? "" : " ") + token(s.status.series.server);
        const std::string name = token(s.relationship.name);
        if (!name.empty() &&
            (" " + relationships + " ").find(" " + name + " ") == std::string::npos)
            relationships += (relationships.empty() ? "" : " ") + name;
        if (s.relationship.state != State::normal)
            state = s.relationship.state;
    }
    out << "<tr class=\"scope\" id=\"" << row_id(i) << "\" data-rank=\"" << i << "\" data-scope=\""
        << xml_escape(row.scope) << "\" data-severity=\"" << severity_word(row.worst)
        << "\" data-servers=\"" << servers << "\" data-relationships=\"" << relationships
        << "\" data-utilization=\"" << (row.utilization ? fixed(*row.utilization, 2) : "")
        << "\" data-peak=\"" << (row.peak ? fixed(*row.peak, 2) : "") << "\" data-runs-out=\""
        << (row.runs_out ? std::to_string(*row.runs_out) : "") << "\" data-findings=\""
        << row.findings.size() << "\">\n";
    out << "<td>" << badge(row.worst) << "</td><td>" << xml_escape(row.scope)
        << " <button class=\"open-chart\" type=\"button\" aria-expanded=\"false\">chart</button>"
        << "</td><td class=\"num\">"
        << (row.utilization ? fixed(*row.utilization, 1) + " %" : "&ndash;")
        << "</td><td class=\"num\">" << (row.peak ? fixed(*row.peak, 1) + " %" : "&ndash;")
        << "</td><td>";
    for (std::size_t k = 0; k < row.servers.size(); ++k) {
        const ServerRow& s = row.servers[k];
        const auto& own = s.status.latest.counters[Counter::this_addr_free];
        out << (k ? "<br>" : "") << "<span class=\"nowrap\">" << xml_escape(s.status.series.server)
            << " " << (own ? std::to_string(*own) : "&ndash;") << "</span>";
    }
    out << "</td><td>" << to_string(state) << "</td><td>"
        << (row.runs_out ? xml_escape(day(*row.runs_out, time)) : "&ndash;") << "</td><td>"
        << sparkline(row, report.columns, warning) << "</td><td>";
    // The marker's shape tells the severity without colour (kStyle).
    const auto items = [&](std::size_t from, std::size_t to) {
        out << "<ul class=\"findings\">";
        for (std::size_t k = from; k < to; ++k) {
            const ScopeFinding& f = row.findings[k];
            out << "<li class=\"" << to_string(f.severity) << "\">"
                << xml_escape(finding_text(f, time)) << "</li>";
        }
        out << "</ul>";
    };
    constexpr std::size_t kShown = 3;
    const std::size_t count = row.findings.size();
    if (count > 0)
        items(0, std::min(kShown, count));
    if (count > kShown) {
        out << "<details><summary>" << count - kShown << " more</summary>";
        items(kShown, count);
        out << "</details>";
    }
    out << "</td></tr>\n";
}

void write_episode_lists(const SiteReport& report, const TimeFormatter& time, std::ostream& out) {
    std::map<std::string, std::size_t> row_of;
    for (std::size_t i = 0; i < report.scopes.size(); ++i)
        row_of[report.scopes[i].scope] = i;
    const auto link = [&](const std::string& scope) {
        return "<a href=\"#" + row_id(row_of.at(scope)) + "\">" + xml_escape(scope) + "</a>";
    };
    out << "<section id=\"episodes\">\n<h2>Imbalance and starved episodes</h2>\n";
    if (report.episodes.empty())
        out << "<p>None in the window.</p>\n";
    else
        out << "<ul>\n";
    for (const ImbalanceEpisode& e : report.episodes) {
        out << "<li>" << badge(e.severity) << " " << to_string(e.kind) << " "
            << xml_escape(e.server) << " in " << link(e.scope) << ", "
            << xml_escape(minute(e.first, time)) << " to " << xml_escape(minute(e.last, time));
        if (e.worst_deviation)
            out << ", worst " << fixed(*e.worst_deviation, 1) << " points";
        out << "</li>\n";
    }
    if (!report.episodes.empty())
        out << "</ul>\n";
    // One item per episode of a rule on a server, with every scope it was found in: an
    // outage of the collector is one gap, not one per scope.
    out << "<h2>Invariant violations</h2>\n";
    using Key = std::tuple<Rule, std::string, std::int64_t, std::int64_t, std::int64_t>;
    std::vector<std::pair<Key, std::vector<std::string>>> groups;
    std::map<Key, std::size_t> group_of;
    for (const Violation& v : report.violations) {
        const Key key{v.rule, v.server, v.episode.first, v.episode.last, v.episode.samples};
        const auto [at, added] = group_of.try_emplace(key, groups.size());
        if (added)
            groups.push_back({key, {}});
        groups[at->second].second.push_back(v.scope);
    }
    if (groups.empty())
        out << "<p>None in the window.</p>\n";
    else
        out << "<ul>\n";
    constexpr std::size_t kScopesInLine = 5;  // more go into a list that opens
    for (const auto& [key, scopes] : groups) {
        const auto& [rule, server, first, last, samples] = key;
        out << "<li>" << badge(severity_of(rule)) << " " << to_string(rule) << " "
            << xml_escape(server) << ", " << xml_escape(minute(first, time)) << " to "
            << xml_escape(minute(last, time)) << ", " << samples << " sample"
            << (samples == 1 ? "" : "s") << ", in ";
        if (scopes.size() > kScopesInLine)
            out << "<details class=\"scopes\"><summary>" << scopes.size() << " scopes</summary>";
        for (std::size_t i = 0; i < scopes.size(); ++i)
            out << (i ? ", " : "") << link(scopes[i]);
        out << (scopes.size() > kScopesInLine ? "</details>" : "") << "</li>\n";
    }
    if (!groups.empty())
        out << "</ul>\n";
    out << "</section>\n";
}

}  // namespace

void write_html_report(const SiteReport& report, const TimeFormatter& time,
                       const HtmlReportOptions& options, std::ostream& out) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"fostat-query report\">\n"
        << "<title>fostat: " << report.scopes.size() << " scopes, "
        << (report.critical ? std::to_string(report.critical) + " critical"
                            : std::to_string(report.warning) + " warning")
        << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
        << "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\">\n";
    write_plot_defs(out);  // the charts' hatch patterns
    out << "</svg>\n";
    write_header(report, time, options, out);
    out << "<main>\n<h2>Scopes, riskiest first</h2>\n";
    write_filters(report, out);
    out << "<table id=\"scopes\">\n<thead><tr>"
        << "<th aria-sort=\"ascending\"><button type=\"button\" data-sort=\"rank\">risk"
           "</button></th>"
        << "<th>scope</th>"
        << "<th class=\"num\"><button type=\"button\" data-sort=\"utilization\">used now"
           "</button></th>"
        << "<th class=\"num\"><button type=\"button\" data-sort=\"peak\">peak</button></th>"
        << "<th>own free</th><th>state</th>"
        << "<th><button type=\"button\" data-sort=\"runsOut\">runs out</button></th>"
        << "<th>window</th>"
        << "<th><button type=\"button\" data-sort=\"findings\">findings</button></th>"
        << "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < report.scopes.size(); ++i)
        write_scope_row(report, i, time, options.warning, out);
    out << "</tbody>\n</table>\n";
    write_episode_lists(report, time, out);
    out << "</main>\n<footer><p>Runs out: the earliest likely date (1 in 10 sooner) on which "
           "free addresses run out, as <code>fostat-query trend</code> forecasts it. Findings: "
           "<code>status</code>, <code>check</code> and <code>imbalance</code> with their "
           "defaults. Charts need JavaScript; everything else reads without it.</p></footer>\n"
        << "<script type=\"application/json\" id=\"fostat-data\">"
        << chart_data(report, time, options) << "</script>\n<script>" << kScript
        << "</script>\n</body>\n</html>\n";
}

}  // namespace fostat
