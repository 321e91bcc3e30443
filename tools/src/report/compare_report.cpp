#include "report/compare_report.hpp"

#include <algorithm>
#include <cmath>

#include "util/number_format.hpp"

namespace diobench {

namespace {

// Left-aligned first column, right-aligned others.
std::string table(const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string text;
    for (const auto& row : rows) {
        std::string line = "  ";
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string pad(widths[i] - row[i].size(), ' ');
            line += i == 0 ? row[i] + pad : "  " + pad + row[i];
        }
        text += line + "\n";
    }
    return text;
}

nlohmann::json optional_number(const std::optional<double>& value)
{
    return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::string format_compare_text(const ComparisonOutcome& o, const CompareContext& c)
{
    std::string text = "compare: knob " + c.knob + ", states " + o.states[0].state + "," + o.states[1].state +
                       ", " + std::to_string(o.rounds_completed) + " of " + std::to_string(c.rounds) +
                       " rounds interleaved" + (c.warmup ? " after a discarded warmup round" : "") + "\n";
    text += "workload: " + c.workload + "\n";
    if (o.interrupted) {
        text += "(interrupted: results cover the completed rounds only)\n";
    }
    std::vector<std::vector<std::string>> rows = {
        {"state", "rounds", "median IOPS", "mean IOPS", "stddev", "min", "max"}};
    for (const StateOutcome& s : o.states) {
        rows.push_back({c.label + "=" + s.state, std::to_string(s.summary.n), with_thousands(s.summary.median),
                        with_thousands(s.summary.mean), with_thousands(s.summary.stddev),
                        with_thousands(s.summary.min), with_thousands(s.summary.max)});
    }
    text += table(rows);
    const std::string a = o.states[0].state;
    const std::string b = o.states[1].state;
    text += "gain of state " + b + " over state " + a + ": " + signed_percent(o.gain.gain_pct);
    if (o.gain.ci_low_pct && o.gain.ci_high_pct) {
        text += " (95% CI " + signed_percent(*o.gain.ci_low_pct) + ".." + signed_percent(*o.gain.ci_high_pct) +
                ", Welch df=" + fixed(o.gain.degrees_of_freedom, 1) + ")";
    }
    text += "\nmethod: " + std::string(kMethodText) + "\n";
    for (const std::string& w : o.warnings) {
        text += w + "\n";
    }
    text += "verdict: " + o.verdict + "\n";
    if (o.stats_available) {
        std::vector<std::vector<std::string>> stat_rows = {{"module stats delta", c.label + "=" + a,
                                                            c.label + "=" + b}};
        for (const auto& [name, value] : o.states[1].stats_delta) {
            std::int64_t in_a = 0;
            for (const auto& [name_a, value_a] : o.states[0].stats_delta) {
                in_a = name_a == name ? value_a : in_a;
            }
            stat_rows.push_back({name, std::to_string(in_a), std::to_string(value)});
        }
        text += table(stat_rows);
    }
    return text;
}

nlohmann::json state_to_json(const StateOutcome& s, bool with_stats)
{
    nlohmann::json j = {{"state", s.state},          {"iops", s.iops},
                        {"rounds", s.summary.n},     {"median_iops", s.summary.median},
                        {"mean_iops", s.summary.mean}, {"stddev_iops", s.summary.stddev},
                        {"min_iops", s.summary.min}, {"max_iops", s.summary.max}};
    if (with_stats) {
        nlohmann::json stats = nlohmann::json::object();
        for (const auto& [name, value] : s.stats_delta) {
            stats[name] = value;
        }
        j["stats_delta"] = stats;
    }
    return j;
}

nlohmann::json compare_to_json(const ComparisonOutcome& o, const CompareContext& c)
{
    nlohmann::json states = nlohmann::json::array();
    for (const StateOutcome& s : o.states) {
        states.push_back(state_to_json(s, o.stats_available));
    }
    return {{"knob", c.knob},
            {"label", c.label},
            {"workload", c.workload},
            {"rounds", c.rounds},
            {"rounds_completed", o.rounds_completed},
            {"warmup", c.warmup},
            {"interrupted", o.interrupted},
            {"states", states},
            {"gain_pct", optional_number(o.gain.gain_pct)},
            {"ci95_low_pct", optional_number(o.gain.ci_low_pct)},
            {"ci95_high_pct", optional_number(o.gain.ci_high_pct)},
            {"welch_df", optional_number(o.gain.degrees_of_freedom)},
            {"significant", is_significant(o.gain)},
            {"method", kMethodText},
            {"verdict", o.verdict},
            {"warnings", o.warnings}};
}

}  // namespace diobench
