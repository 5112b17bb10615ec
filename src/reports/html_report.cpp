#include "reports/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

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
// that size (half pixels) with the path in relative steps, so that 2,000 of them stay small.
std::string sparkline(const ScopeRow& row, int columns, double warning) {
    constexpr int kStep = 3;
    const int points = (columns + kStep - 1) / kStep;
    const auto y_of = [](double percent) { return 48 - std::lround(percent * 0.48); };
    std::string path;
    bool pen = false;
    long x0 = 0, y0 = 0;
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
            pen = false;
            continue;
        }
        const long x = 6L * p, y = y_of(*v);
        if (pen && y == y0)
            path += "h" + std::to_string(x - x0);
        else if (pen)
            path += "l" + std::to_string(x - x0) + " " + std::to_string(y - y0);
        else
            path += "M" + std::to_string(x) + " " + std::to_string(y);
        x0 = x;
        y0 = y;
        pen = true;
    }
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

// The charts' data: the axis, the levels, and per scope (in row order) each server's
// columns and the episodes to shade. '<' is escaped so that no text ends the script element.
std::string chart_data(const SiteReport& report, const TimeFormatter& time,
                       const HtmlReportOptions& options) {
    std::string out = "{";
    append_key(out, "columns");
    out += std::to_string(report.columns) + ",";
    append_key(out, "levels");
    out += "[" + fixed(options.warning, 1) + "," + fixed(options.critical, 1) + "],";
    append_key(out, "ticks");
    out += "[";
    const auto ticks = time_ticks(report.start, report.end, time, 8);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        out += (i ? ",[" : "[") +
               fixed(static_cast<double>(report.columns) *
                         static_cast<double>(ticks[i].t - report.start) /
                         static_cast<double>(std::max<std::int64_t>(1, report.end - report.start)),
                     1) +
               ",";
        append_json_string(out, ticks[i].label);
        out += "]";
    }
    out += "],";
    append_key(out, "scopes");
    out += "[";
    for (std::size_t i = 0; i < report.scopes.size(); ++i) {
        const ScopeRow& row = report.scopes[i];
        out += i ? ",{" : "{";
        append_key(out, "scope");
        append_json_string(out, row.scope);
        out += ",";
        append_key(out, "free_max");
        out += fixed(row.free_max, 0) + ",";
        append_key(out, "servers");
        out += "[";
        for (std::size_t k = 0; k < row.servers.size(); ++k) {
            const ServerRow& s = row.servers[k];
            out += k ? ",{" : "{";
            append_key(out, "name");
            append_json_string(out, s.status.series.server);
            out += ",";
            append_key(out, "u");
            append_json_string(out, column_bytes(s.utilization, 100));
            out += ",";
            append_key(out, "own");
            append_json_string(out, column_bytes(s.own_free, row.free_max));
            // With both servers recorded, one's partner is the other's own: drawn once.
            if (row.servers.size() == 1) {
                out += ",";
                append_key(out, "partner");
                append_json_string(out, column_bytes(s.partner_free, row.free_max));
            }
            out += "}";
        }
        out += "],";
        // The forecast, in columns of the window (beyond the last one in the forecast zone,
        // up to axis_end) and percent, to a tenth: finer than a pixel.
        const auto columns_at = [&](std::int64_t t) {
            return fixed(
                static_cast<double>(report.columns) * static_cast<double>(t - report.start) /
                    static_cast<double>(std::max<std::int64_t>(1, report.end - report.start)),
                1);
        };
        if (row.axis_end > report.end) {
            append_key(out, "axis_end");
            out += columns_at(row.axis_end) + ",";
        }
        if (row.forecast) {
            const auto points = [&](const std::vector<PlotPoint>& list) {
                std::string text = "[";
                for (std::size_t k = 0; k < list.size(); ++k)
                    text +=
                        (k ? ",[" : "[") + columns_at(list[k].t) + "," + fixed(list[k].v, 1) + "]";
                return text + "]";
            };
            append_key(out, "forecast");
            out += "{";
            append_key(out, "line");
            out += points(row.forecast->line) + ",";
            append_key(out, "band");
            out += points(row.forecast->band) + "},";
        }
        if (row.runs_out) {
            append_key(out, "runs_out");
            append_json_string(out, day(*row.runs_out, time));
            out += ",";
        }
        // Episodes are shaded; findings at one instant (an invariant broken by one sample,
        // a utilization level) are marked; the exhaustion date is runs_out.
        append_key(out, "findings");
        out += "[";
        bool first = true;
        for (const ScopeFinding& f : row.findings) {
            if (f.what == "runs out")
                continue;
            out += first ? "[" : ",[";
            first = false;
            out +=
                std::to_string(report_column(f.first, report.start, report.end, report.columns)) +
                "," +
                std::to_string(report_column(f.last, report.start, report.end, report.columns)) +
                ",";
            append_json_string(out, severity_word(f.severity));
            out += ",";
            append_json_string(out,
                               f.what + (f.server.empty() ? "" : " " + f.server) + ": " + f.text);
            out += f.first == f.last ? ",1]" : ",0]";
        }
        out += "]}";
    }
    out += "]}";
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
.chart .grid { stroke: #ccc; stroke-width: 1; }
.chart .level { stroke-width: 1; stroke-dasharray: 6 3; }
.chart .level.warning { stroke: var(--warning); }
.chart .level.critical { stroke: var(--critical); }
.chart .shade.critical { fill: var(--critical); opacity: 0.12; }
.chart .shade.warning { fill: var(--warning); opacity: 0.12; }
.chart .shade.info { fill: var(--info); opacity: 0.08; }
.chart .own { fill: none; stroke-width: 1.5; }
.chart .partner { fill: none; stroke-width: 1; stroke-dasharray: 2 2; }
.chart .util { fill: none; stroke-width: 1.5; }
.chart .forecast-zone { fill: #f3f3f3; }
.chart .forecast { fill: none; stroke: #000; stroke-width: 1.5; stroke-dasharray: 8 4; }
.chart .forecast-band { fill: #000; fill-opacity: 0.13; }
.chart .mark { stroke-width: 1.2; }
.chart .mark.critical { fill: var(--critical); stroke: var(--critical); }
.chart .mark.warning { fill: #fff; stroke: var(--warning); }
.chart .mark.info { fill: #fff; stroke: var(--info); }
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

  const SVG = "http://www.w3.org/2000/svg";
  function element(name, attributes, parent, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function columns(base64) {
    const bytes = atob(base64);
    const out = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.charCodeAt(i);
      out.push(b === 255 ? null : b / 250);
    }
    return out;
  }
  const colours = ["#1f4e9c", "#c2410c", "#15803d", "#7e22ce"];
  const dashes = ["", "6 3", "2 2", "8 2 2 2"];
  function path(values, x, y) {
    let d = "", pen = false;
    values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      d += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1) + " ";
      pen = true;
    });
    return d.trim();
  }
  function draw(container, scope) {
    const width = 760, left = 50, right = 10, bandHeight = 120, gap = 30;
    const n = data.columns;
    const axisEnd = Math.max(n, scope.axis_end || 0);
    const height = 24 + bandHeight * 2 + gap + 40;
    const svg = element("svg", { width, height, viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": "utilization and free addresses of " + scope.scope });
    const x = (c) => left + (width - left - right) * (c + 0.5) / axisEnd;
    const top = 24, freeTop = top + bandHeight + gap;
    const yUtil = (v) => top + bandHeight * (1 - v);
    const yFree = (v) => freeTop + bandHeight * (1 - v);
    if (axisEnd > n) {  // the forecast zone, as plot shades it
      element("rect", { class: "forecast-zone", x: x(n - 0.5), y: top, width: x(axisEnd) - x(n - 0.5),
        height: bandHeight * 2 + gap }, svg);
      element("text", { x: x(n - 0.5) + 3, y: freeTop + bandHeight + 28 }, svg, "forecast \u2192");
    }
    for (const [c0, c1, severity, what, instant] of scope.findings) {
      let shape;
      if (instant) {  // a triangle above the utilization band, filled when critical
        const cx = x(c0);
        shape = element("path", { class: "mark " + severity,
          d: "M" + (cx - 5) + " " + (top - 9) + "h10l-5 8z" }, svg);
      } else {
        shape = element("rect", { class: "shade " + severity, x: x(c0) - 1, y: top,
          width: Math.max(2, x(c1) - x(c0) + 2), height: bandHeight * 2 + gap }, svg);
      }
      element("title", {}, shape, severity + ": " + what);
    }
    if (scope.runs_out) {
      element("text", { x: width - right, y: 12, "text-anchor": "end", class: "runs-out" }, svg,
        "free addresses run out " + scope.runs_out + " (earliest likely)");
    }
    element("text", { x: left, y: 12 }, svg, "utilization (% of addresses in use)");
    element("text", { x: left, y: freeTop - 6 }, svg,
      "free addresses of each server's own" + (scope.servers.length === 1 ? " (solid) and its partner's (dotted)" : "") +
      ", 0 to " + scope.free_max);
    for (const v of [0, 0.5, 1]) {
      element("line", { class: "grid", x1: left, x2: width - right, y1: yUtil(v), y2: yUtil(v) }, svg);
      element("text", { x: left - 4, y: yUtil(v) + 4, "text-anchor": "end" }, svg, (v * 100) + " %");
      element("line", { class: "grid", x1: left, x2: width - right, y1: yFree(v), y2: yFree(v) }, svg);
      element("text", { x: left - 4, y: yFree(v) + 4, "text-anchor": "end" }, svg,
        String(Math.round(v * scope.free_max)));
    }
    data.levels.forEach((level, i) => {
      const y = yUtil(level / 100);
      element("line", { class: "level " + (i ? "critical" : "warning"), x1: left, x2: width - right, y1: y, y2: y }, svg);
      element("text", { x: width - right, y: y - 2, "text-anchor": "end" }, svg,
        (i ? "critical " : "warning ") + level + " %");
    });
    if (scope.forecast) {
      const xy = (points) => points.map(([c, v]) => x(c - 0.5).toFixed(1) + " " + yUtil(v / 100).toFixed(1));
      if (scope.forecast.band.length >= 3) {
        const band = element("path", { class: "forecast-band", d: "M" + xy(scope.forecast.band).join(" L") + " Z" }, svg);
        element("title", {}, band, "between the central date and the earliest likely date");
      }
      if (scope.forecast.line.length >= 2) {
        const line = element("path", { class: "forecast", d: "M" + xy(scope.forecast.line).join(" L") }, svg);
        element("title", {}, line, "trend's forecast through the daily peaks");
      }
    }
    scope.servers.forEach((server, i) => {
      const style = { stroke: colours[i % colours.length], "stroke-dasharray": dashes[i % dashes.length] };
      const util = element("path", Object.assign({ class: "util", d: path(columns(server.u), x, yUtil) }, style), svg);
      element("title", {}, util, server.name + ": utilization");
      const own = element("path", Object.assign({ class: "own", d: path(columns(server.own), x, yFree) }, style), svg);
      element("title", {}, own, server.name + ": own free addresses");
      if (server.partner !== undefined) {
        const partner = element("path", { class: "partner", stroke: colours[i % colours.length],
          d: path(columns(server.partner), x, yFree) }, svg);
        element("title", {}, partner, server.name + ": partner's free addresses");
      }
      element("text", { x: left + 10 + 160 * i, y: height - 6, fill: colours[i % colours.length] }, svg,
        (dashes[i % dashes.length] ? "- - " : "\u2014 ") + server.name);
    });
    for (const [c, label] of data.ticks) {
      element("line", { class: "grid", x1: x(c), x2: x(c), y1: freeTop + bandHeight, y2: freeTop + bandHeight + 4 }, svg);
      element("text", { x: x(c), y: freeTop + bandHeight + 16, "text-anchor": "middle" }, svg, label);
    }
    container.appendChild(svg);
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
      draw(container, data.scopes[Number(row.dataset.rank)]);
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
    out << "<h2>Invariant violations</h2>\n";
    if (report.violations.empty())
        out << "<p>None in the window.</p>\n";
    else
        out << "<ul>\n";
    for (const Violation& v : report.violations) {
        out << "<li>" << badge(severity_of(v.rule)) << " " << to_string(v.rule) << " "
            << xml_escape(v.server) << " in " << link(v.scope) << ", "
            << xml_escape(minute(v.episode.first, time)) << " to "
            << xml_escape(minute(v.episode.last, time)) << ", " << v.episode.samples
            << " samples</li>\n";
    }
    if (!report.violations.empty())
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
        << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
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
