// The chart of `fostat-query plot` as a self-contained SVG: no scripts, no external fonts or
// images, generic font family (sans-serif); series told apart by dash and pattern as well
// as by color, so that it reads in grayscale print too.
//
// Structure (docs/cli.md#plot):
//   <svg data-fostat-plot="1" width=... height=...>          panels in a grid (write_svg)
//     <title/>, <desc/> (how to read it, the axis mapping), <defs/> (hatch patterns)
//     <g class="panel" data-scope="...">                        one per scope
//       <g class="band utilization" data-x0 data-x1 data-t0 data-t1 data-y0 data-y1
//          data-v0 data-v1>                                     the axis mapping, exact
//         <path class="utilization" data-server="..." d="M x y L x y ..."/> one per server
//         <path class="forecast" .../>, size changes, invariant marks
//       <g class="band free" data-server="..." (same mapping attributes)>  one per server
//         <path class="own-free"/>, <path class="partner-free"/>, <path class="own-forecast"/>,
//         <rect class="imbalance|starved"/>
//     <g class="x-axis"/>, <g class="legend"/>
// Mapping of a band: x = x0 + (t - t0) * (x1 - x0) / (t1 - t0), y = y0 + (v - v0) *
// (y1 - y0) / (v1 - v0), t in Unix seconds; coordinates are written with two decimals.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "analyses/plot.h"

namespace fostat {

// `text` with &, <, >, " and ' escaped, bytes that are not UTF-8 and the control characters
// (C0 but tab, line feed and carriage return; DEL; C1) replaced by U+FFFD: valid XML 1.0
// whatever the text.
std::string xml_escape(std::string_view text);

// The color and the dash (an SVG stroke-dasharray, empty for solid) of plot's style `style`:
// a server's index among the servers drawn. Dark enough for print; the dashes tell them apart
// in grayscale.
std::string_view plot_color(int style);
std::string_view plot_dash(int style);

// The <defs> of plot's hatch patterns: fill="url(#fostat-partner)", "url(#fostat-imbalance)"
// and "url(#fostat-starved)" in any SVG of the same document.
void write_plot_defs(std::ostream& out);

// Small multiples: up to kMostPlotScopes panels in a grid of plot_grid_columns(scopes)
// columns (1 up to 3 scopes, 2 up to 8, else 3), row by row in address order, each grid
// column with its own time axis; plot_panel_columns(scopes) is the width of a panel's time
// axis in pixels (PlotOptions::columns): 720, 480 or 360. Above kMostPlotScopes a picture is
// no longer read: `fostat-query report` shows every scope, each chart a click away.
inline constexpr std::size_t kMostPlotScopes = 24;
int plot_grid_columns(std::size_t scopes);
int plot_panel_columns(std::size_t scopes);

// REQUIRES: plot.columns == plot_panel_columns(plot.scopes.size()) for a grid to fit the
// page (any width draws), at least one scope.
void write_svg(const Plot& plot, std::ostream& out);

}  // namespace fostat
