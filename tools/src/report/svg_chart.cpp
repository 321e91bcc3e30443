#include "report/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "util/number_format.hpp"

namespace diobench {

namespace {

constexpr double kLeft = 90;
constexpr double kRight = 30;
constexpr double kTop = 70;
constexpr double kPlotHeight = 360;
constexpr double kBottom = 130;
constexpr double kBarWidth = 22;
constexpr double kGroupGap = 26;
constexpr std::array<const char*, 4> kColors = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759"};

// 1, 2 or 5 times a power of ten, at least `raw`.
double nice_step(double raw)
{
    if (raw <= 0) {
        return 1;
    }
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw) {
            return m * magnitude;
        }
    }
    return 10 * magnitude;
}

std::string num(double v)
{
    return fixed(v, 1);
}

std::string compact(double iops)
{
    if (iops >= 1e6) {
        return fixed(iops / 1e6, 1) + "M";
    }
    if (iops >= 1e3) {
        return fixed(iops / 1e3, 0) + "k";
    }
    return fixed(iops, 0);
}

}  // namespace

std::string xml_escape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string render_sweep_svg(const std::vector<SweepPoint>& points, const SweepLabels& labels,
                             const std::string& title)
{
    const std::size_t bars_per_group = labels.states.size();
    const double group_width = static_cast<double>(bars_per_group) * kBarWidth + kGroupGap;
    const double plot_width = std::max(1.0, static_cast<double>(points.size())) * group_width;
    const double width = kLeft + plot_width + kRight;
    const double height = kTop + kPlotHeight + kBottom;

    double peak = 0;
    for (const SweepPoint& p : points) {
        if (p.error.empty()) {
            for (const StateOutcome& s : p.outcome.states) {
                peak = std::max(peak, s.summary.mean + s.summary.stddev);
            }
        }
    }
    const double step = nice_step(peak / 5.0);
    const double y_max = std::max(step, std::ceil(peak / step) * step);
    const auto y_of = [&](double v) { return kTop + kPlotHeight * (1.0 - v / y_max); };

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
                      num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                      "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    svg += "<title>" + xml_escape(title) + "</title>\n";
    svg += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" fill=\"white\"/>\n";
    svg += "<text x=\"" + num(width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
           xml_escape(title) + "</text>\n";

    // Legend.
    for (std::size_t i = 0; i < bars_per_group; ++i) {
        const double x = kLeft + static_cast<double>(i) * 120;
        svg += "<rect class=\"legend\" x=\"" + num(x) + "\" y=\"36\" width=\"14\" height=\"14\" fill=\"" +
               kColors.at(i % kColors.size()) + "\"/>\n";
        svg += "<text x=\"" + num(x + 20) + "\" y=\"48\">" + xml_escape(labels.column(i)) + "</text>\n";
    }

    // Y axis with grid lines.
    svg += "<g class=\"y-axis\">\n";
    for (double v = 0; v <= y_max + step / 2; v += step) {
        const double y = y_of(v);
        svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kLeft + plot_width) +
               "\" y2=\"" + num(y) + "\" stroke=\"#dddddd\"/>\n";
        svg += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" + compact(v) +
               "</text>\n";
    }
    svg += "<text transform=\"translate(18," + num(kTop + kPlotHeight / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">IOPS (mean, whisker = 1 stddev)</text>\n";
    svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(kLeft) + "\" y2=\"" +
           num(kTop + kPlotHeight) + "\" stroke=\"black\"/>\n";
    svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + kPlotHeight) + "\" x2=\"" +
           num(kLeft + plot_width) + "\" y2=\"" + num(kTop + kPlotHeight) + "\" stroke=\"black\"/>\n";
    svg += "</g>\n";

    for (std::size_t g = 0; g < points.size(); ++g) {
        const SweepPoint& p = points[g];
        const double x0 = kLeft + static_cast<double>(g) * group_width + kGroupGap / 2;
        const std::string group_name = p.target_name + " " + p.engine + " qd" + std::to_string(p.qd);
        svg += "<g class=\"group\">\n";
        if (p.error.empty()) {
            double top = kTop + kPlotHeight;
            for (std::size_t i = 0; i < p.outcome.states.size(); ++i) {
                const SampleSummary& s = p.outcome.states[i].summary;
                const double x = x0 + static_cast<double>(i) * kBarWidth;
                const double y = y_of(s.mean);
                top = std::min(top, y_of(s.mean + s.stddev));
                svg += "<rect class=\"bar\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                       num(kBarWidth - 2) + "\" height=\"" + num(kTop + kPlotHeight - y) + "\" fill=\"" +
                       kColors.at(i % kColors.size()) + "\"><title>" +
                       xml_escape(group_name + " " + labels.column(i) + ": " + with_thousands(s.mean) +
                                  " IOPS") +
                       "</title></rect>\n";
                if (s.stddev > 0) {
                    const double cx = x + (kBarWidth - 2) / 2;
                    svg += "<line class=\"whisker\" x1=\"" + num(cx) + "\" y1=\"" +
                           num(y_of(std::max(0.0, s.mean - s.stddev))) +
                           "\" x2=\"" + num(cx) + "\" y2=\"" + num(y_of(s.mean + s.stddev)) +
                           "\" stroke=\"black\"/>\n";
                }
            }
            const bool significant = is_significant(p.outcome.gain);
            svg += "<text class=\"gain\" x=\"" + num(x0 + static_cast<double>(bars_per_group) * kBarWidth / 2) +
                   "\" y=\"" + num(top - 6) + "\" text-anchor=\"middle\" font-size=\"11\"" +
                   (significant ? " font-weight=\"bold\"" : " fill=\"#666666\"") + ">" +
                   xml_escape(signed_percent(p.outcome.gain.gain_pct)) + "</text>\n";
        } else {
            svg += "<text class=\"error\" x=\"" + num(x0 + static_cast<double>(bars_per_group) * kBarWidth / 2) +
                   "\" y=\"" + num(kTop + kPlotHeight - 6) + "\" text-anchor=\"middle\" fill=\"#c00000\">error<title>" +
                   xml_escape(p.error) + "</title></text>\n";
        }
        const double lx = x0 + static_cast<double>(bars_per_group) * kBarWidth / 2;
        const double ly = kTop + kPlotHeight + 14;
        svg += "<text transform=\"translate(" + num(lx) + "," + num(ly) +
               ") rotate(-45)\" text-anchor=\"end\">" + xml_escape(group_name) + "</text>\n";
        svg += "</g>\n";
    }
    svg += "<text x=\"" + num(kLeft) + "\" y=\"" + num(height - 8) +
           "\" font-size=\"10\" fill=\"#666666\">gain = mean(" + xml_escape(labels.column(1)) + ") / mean(" +
           xml_escape(labels.column(0)) + ") - 1; bold: 95% Welch CI excludes 0</text>\n";
    svg += "</svg>\n";
    return svg;
}

}  // namespace diobench
