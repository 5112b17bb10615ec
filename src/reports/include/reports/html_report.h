// The site report of `fostat-query report` as one self-contained HTML page (docs/report.md):
// inline CSS, inline SVG sparklines, a little plain JavaScript that sorts and filters the
// table and draws a scope's chart when it is opened, from data embedded in the page; no
// request to any network. Every colour has a word or a shape beside it.
//
// Structure, which the browser test relies on:
//   <table id="scopes"> <tbody> one <tr class="scope" id="s-N" data-scope data-severity
//     data-servers data-relationships data-rank ...> per scope, riskiest first; pressing its
//     <button class="open-chart"> draws its chart in a <tr class="chart-row"> made after it
//     (and hides and shows that row again);
//   <select id="filter-server">, <select id="filter-relationship">,
//   <select id="filter-severity">, <input id="filter-text">; <th><button data-sort=KEY>;
//   <p id="shown"> "N of M scopes";
//   <script type="application/json" id="fostat-data"> the charts' data.
#pragma once

#include <ostream>
#include <string>

#include "analyses/site_report.h"
#include "fostat/time_text.h"

namespace fostat {

struct HtmlReportOptions {
    double warning = 80;  // the utilization levels drawn and named
    double critical = 90;
    std::string zone;  // "UTC" or the --tz name, as the page names it
};

// REQUIRES: `time` writes ISO 8601 (TimeStyle::iso).
void write_html_report(const SiteReport& report, const TimeFormatter& time,
                       const HtmlReportOptions& options, std::ostream& out);

}  // namespace fostat
