#include <sstream>

#include <gtest/gtest.h>

#include "reports/svg.h"

namespace fostat {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// Twenty scopes: three grid columns of 360-pixel panels, an axis under each, long summaries
// cut to the panel with the whole in a tooltip, the heading counted.
TEST(SvgGrid, TwentyScopesAreThreeColumnsWithAnAxisEach) {
    EXPECT_EQ(plot_grid_columns(3), 1);
    EXPECT_EQ(plot_grid_columns(4), 2);
    EXPECT_EQ(plot_grid_columns(8), 2);
    EXPECT_EQ(plot_grid_columns(9), 3);
    EXPECT_EQ(plot_panel_columns(9), 360);
    Plot plot;
    plot.start = 1'795'507'200;
    plot.end = plot.axis_end = plot.start + 86'400;
    plot.columns = plot_panel_columns(20);
    plot.servers = {"dhcp1"};
    plot.ticks = {{plot.start + 43'200, "11-24 20:00"}};
    plot.window_text = "2026-11-24 08:00 to 2026-11-25 08:00 (UTC)";
    plot.zone = "UTC";
    const std::string summary =
        "87.8 % in use, growth 2.56 a day, runs out 2026-11-29, earliest 2026-11-28; dhcp2's "
        "own pool runs out 2026-11-27";
    for (int i = 0; i < 20; ++i) {
        ScopePlot panel;
        panel.scope = "10.0." + std::to_string(i) + ".0/24";
        panel.summary = summary;
        ServerPlot server;
        server.server = "dhcp1";
        server.utilization = {{{plot.start, 10}, {plot.end, 20}}};
        panel.servers.push_back(server);
        plot.scopes.push_back(panel);
    }
    std::ostringstream out;
    write_svg(plot, out);
    const std::string svg = out.str();
    EXPECT_NE(svg.find("width=\"1368\""), std::string::npos);  // 3 x (64 + 360 + 16) + 2 x 24
    EXPECT_EQ(count(svg, "<g class=\"x-axis\">"), 3u);
    // 7 rows of the first column, 6 of the third; a utilization and a free band each.
    EXPECT_EQ(count(svg, "data-x0=\"64\" data-x1=\"424\""), 7u * 2);
    EXPECT_EQ(count(svg, "data-x0=\"992\" data-x1=\"1352\""), 6u * 2);
    EXPECT_EQ(count(svg, "\u2026</tspan>"), 20u);  // every summary cut
    EXPECT_EQ(count(svg, "<title>10.0.0.0/24: 87.8 % in use"), 1u);
    EXPECT_NE(svg.find("fostat-query plot: 20 scopes, 10.0.0.0/24 to 10.0.19.0/24"),
              std::string::npos);
}

}  // namespace
}  // namespace fostat
