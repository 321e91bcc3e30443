#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "report/svg_chart.hpp"
#include "report/sweep_output.hpp"

using diobench::SweepLabels;
using diobench::SweepPoint;

namespace {

SweepPoint point(const std::string& fs, const std::string& engine, unsigned qd, std::vector<double> a,
                 std::vector<double> b)
{
    SweepPoint p;
    p.target_name = fs;
    p.target_path = "/mnt/" + fs + "/f";
    p.engine = engine;
    p.qd = qd;
    p.outcome.states = {{.state = "0", .iops = std::move(a), .summary = {}, .stats_delta = {}},
                        {.state = "1", .iops = std::move(b), .summary = {}, .stats_delta = {}}};
    p.outcome.rounds_completed = static_cast<unsigned>(p.outcome.states[0].iops.size());
    diobench::finish_outcome(p.outcome);
    return p;
}

std::vector<SweepPoint> sample_points()
{
    std::vector<SweepPoint> points;
    points.push_back(point("ext4", "io_uring", 64, {568193, 568193}, {600625, 600625}));
    points.push_back(point("xfs", "libaio", 1, {10000, 10200, 9800}, {10100, 9900, 10000}));
    SweepPoint failed;
    failed.target_name = "ext4";
    failed.engine = "io_uring_poll";
    failed.qd = 64;
    failed.error = "read from f: Operation not supported";
    points.push_back(failed);
    return points;
}

const SweepLabels kLabels{.label = "simple", .states = {"0", "1"}};

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::string squeeze_spaces(const std::string& line)
{
    return std::regex_replace(line, std::regex(" +"), " ");
}

std::size_t count(const std::string& text, const std::string& needle)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST(SweepTable, MatchesThePatchSeriesLayout)
{
    const auto lines = lines_of(diobench::format_sweep_table(sample_points(), kLabels));
    ASSERT_GE(lines.size(), 4U);
    EXPECT_EQ(squeeze_spaces(lines[0]), "fs workload qd simple=0 simple=1 gain");
    EXPECT_EQ(squeeze_spaces(lines[1]), "ext4 io_uring 64 568,193 600,625 +5.71%");
    EXPECT_EQ(squeeze_spaces(lines[2]), "xfs libaio 1 10,000 10,000 +0.00%");
    EXPECT_EQ(squeeze_spaces(lines[3]), "ext4 io_uring_poll 64 - - n/a");
    // Columns line up: every row is as long as the header after padding.
    EXPECT_EQ(lines[1].find("568,193") + 7, lines[2].find("10,000") + 6);
}

TEST(SweepCsv, OneHeaderAndOneRowPerPoint)
{
    const auto lines = lines_of(diobench::sweep_csv(sample_points(), kLabels));
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(lines[0].rfind("fs,path,workload,qd,mean simple=0,mean simple=1,", 0), 0U);
    EXPECT_EQ(lines[1].rfind("ext4,/mnt/ext4/f,io_uring,64,568193.00,600625.00,", 0), 0U) << lines[1];
    EXPECT_NE(lines[1].find(",yes,state 1 is faster by 5.71%"), std::string::npos) << lines[1];
    // The inconclusive verdict carries its interval.
    EXPECT_NE(lines[2].find(",no,inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI "),
              std::string::npos)
        << lines[2];
    EXPECT_NE(lines[3].find("Operation not supported"), std::string::npos);
    EXPECT_EQ(count(lines[0], ","), count(lines[1], ","));
}

TEST(SweepJson, ParsesAndCarriesTheNumbers)
{
    const auto text = diobench::sweep_json(sample_points(), kLabels, "/sys/kernel/iomap/simple_read", false).dump();
    const auto j = nlohmann::json::parse(text);
    ASSERT_EQ(j["points"].size(), 3U);
    EXPECT_EQ(j["points"][0]["fs"], "ext4");
    EXPECT_NEAR(j["points"][0]["gain_pct"].get<double>(), 5.7079, 1e-3);
    EXPECT_EQ(j["points"][0]["states"][1]["mean_iops"].get<double>(), 600625.0);
    EXPECT_TRUE(j["points"][0]["significant"].get<bool>());
    EXPECT_FALSE(j["points"][1]["significant"].get<bool>());
    // 2 rounds per state warn, 3 do not.
    ASSERT_EQ(j["points"][0]["warnings"].size(), 1U);
    EXPECT_EQ(j["points"][0]["warnings"][0].get<std::string>().rfind("warning: only 2 rounds per state", 0), 0U);
    EXPECT_TRUE(j["points"][1]["warnings"].empty());
    EXPECT_EQ(j["points"][2]["error"], "read from f: Operation not supported");
}

TEST(SweepSvg, IsAStandaloneChartWithBarsAndGainLabels)
{
    const std::string svg = diobench::render_sweep_svg(sample_points(), kLabels, "simple=0 vs simple=1 <test>");
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0U);
    EXPECT_NE(svg.find("</svg>\n"), std::string::npos);
    EXPECT_EQ(count(svg, "class=\"bar\""), 4U);  // 2 measured points x 2 states
    EXPECT_EQ(count(svg, "class=\"gain\""), 2U);
    EXPECT_NE(svg.find(">+5.71%</text>"), std::string::npos);
    EXPECT_NE(svg.find(">+0.00%</text>"), std::string::npos);
    EXPECT_NE(svg.find("class=\"error\""), std::string::npos);
    EXPECT_NE(svg.find("&lt;test&gt;"), std::string::npos);  // escaped title
    EXPECT_EQ(svg.find("<test>"), std::string::npos);
    // Every element opened is closed: count start tags vs end tags + self-closing.
    const std::regex open_tag("<([a-z]+)[ >]");
    std::size_t opened = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), open_tag); it != std::sregex_iterator(); ++it) {
        ++opened;
    }
    EXPECT_EQ(opened, count(svg, "</") + count(svg, "/>"));
}

TEST(SweepSvg, XmlEscape)
{
    EXPECT_EQ(diobench::xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
}
