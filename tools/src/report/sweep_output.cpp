#include "report/sweep_output.hpp"

#include <algorithm>
#include <cmath>

#include "report/compare_report.hpp"
#include "util/number_format.hpp"

namespace diobench {

namespace {

std::string csv_field(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::string csv_number(double value)
{
    return std::isfinite(value) ? fixed(value, 2) : std::string();
}

std::string csv_optional(const std::optional<double>& value)
{
    return value ? csv_number(*value) : std::string();
}

nlohmann::json json_number(double value)
{
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

std::string format_sweep_table(const std::vector<SweepPoint>& points, const SweepLabels& labels)
{
    std::vector<std::vector<std::string>> rows = {
        {"fs", "workload", "qd", labels.column(0), labels.column(1), "gain"}};
    std::vector<std::string> notes;
    for (const SweepPoint& p : points) {
        if (!p.error.empty()) {
            rows.push_back({p.target_name, p.engine, std::to_string(p.qd), "-", "-", "n/a"});
            notes.push_back("  " + p.target_name + " " + p.engine + " " + std::to_string(p.qd) + ": " + p.error);
            continue;
        }
        const auto& s = p.outcome.states;
        rows.push_back({p.target_name, p.engine, std::to_string(p.qd), with_thousands(s[0].summary.mean),
                        with_thousands(s[1].summary.mean), signed_percent(p.outcome.gain.gain_pct)});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string text;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string pad(widths[i] - row[i].size(), ' ');
            const bool numeric = i >= 2;  // qd, IOPS and gain line up on the right
            if (i != 0) {
                line += ' ';
            }
            line += numeric ? pad : "";
            line += row[i];
            line += numeric ? "" : pad;
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        text += line + "\n";
    }
    if (!notes.empty()) {
        text += "failed points:\n";
        for (const std::string& n : notes) {
            text += n + "\n";
        }
    }
    return text;
}

std::string sweep_csv(const std::vector<SweepPoint>& points, const SweepLabels& labels)
{
    const std::string a = labels.column(0);
    const std::string b = labels.column(1);
    std::string text = "fs,path,workload,qd,mean " + a + ",mean " + b + ",median " + a + ",median " + b +
                       ",stddev " + a + ",stddev " + b + ",rounds,gain_pct,ci95_low_pct,ci95_high_pct,"
                       "significant,verdict,error\n";
    for (const SweepPoint& p : points) {
        std::vector<std::string> f = {csv_field(p.target_name), csv_field(p.target_path), p.engine,
                                      std::to_string(p.qd)};
        if (p.error.empty()) {
            const auto& s = p.outcome.states;
            const auto& g = p.outcome.gain;
            f.insert(f.end(), {csv_number(s[0].summary.mean), csv_number(s[1].summary.mean),
                               csv_number(s[0].summary.median), csv_number(s[1].summary.median),
                               csv_number(s[0].summary.stddev), csv_number(s[1].summary.stddev),
                               std::to_string(p.outcome.rounds_completed), csv_number(g.gain_pct),
                               csv_optional(g.ci_low_pct), csv_optional(g.ci_high_pct),
                               is_significant(g) ? "yes" : "no", csv_field(p.outcome.verdict), ""});
        } else {
            f.insert(f.end(), {"", "", "", "", "", "", "0", "", "", "", "", "", csv_field(p.error)});
        }
        std::string line;
        for (std::size_t i = 0; i < f.size(); ++i) {
            if (i != 0) {
                line += ',';
            }
            line += f[i];
        }
        text += line + "\n";
    }
    return text;
}

nlohmann::json sweep_json(const std::vector<SweepPoint>& points, const SweepLabels& labels,
                          const std::string& knob, bool interrupted)
{
    nlohmann::json rows = nlohmann::json::array();
    for (const SweepPoint& p : points) {
        nlohmann::json row = {{"fs", p.target_name}, {"path", p.target_path}, {"workload", p.engine}, {"qd", p.qd}};
        if (!p.error.empty()) {
            row["error"] = p.error;
        } else {
            const auto& g = p.outcome.gain;
            nlohmann::json states = nlohmann::json::array();
            for (const StateOutcome& s : p.outcome.states) {
                states.push_back(state_to_json(s, p.outcome.stats_available));
            }
            row["states"] = states;
            row["gain_pct"] = json_number(g.gain_pct);
            row["ci95_low_pct"] = g.ci_low_pct ? json_number(*g.ci_low_pct) : nlohmann::json(nullptr);
            row["ci95_high_pct"] = g.ci_high_pct ? json_number(*g.ci_high_pct) : nlohmann::json(nullptr);
            row["significant"] = is_significant(g);
            row["verdict"] = p.outcome.verdict;
            row["warnings"] = p.outcome.warnings;
            row["rounds_completed"] = p.outcome.rounds_completed;
        }
        rows.push_back(row);
    }
    return {{"knob", knob},
            {"label", labels.label},
            {"states", labels.states},
            {"value", "mean IOPS per state"},
            {"method", kMethodText},
            {"interrupted", interrupted},
            {"points", rows}};
}

}  // namespace diobench
