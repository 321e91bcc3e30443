#include "measurement/comparison.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/number_format.hpp"
#include "util/signal_stop.hpp"

namespace diobench {

void check_plan(const ComparisonPlan& plan)
{
    if (plan.states.size() != 2) {
        throw Error("--states needs exactly two values (A,B), got " + std::to_string(plan.states.size()));
    }
    if (plan.states[0] == plan.states[1]) {
        throw Error("--states: both states are '" + plan.states[0] + "'");
    }
    for (const std::string& s : plan.states) {
        if (s.find_first_of("\n\r") != std::string::npos) {
            throw Error("--states: a state may not contain a newline");
        }
    }
    if (plan.rounds == 0) {
        throw Error("--rounds must be at least 1");
    }
}

std::string knob_label(const std::string& knob_path)
{
    const std::string base = knob_path.substr(knob_path.find_last_of('/') + 1);
    if (base == "simple_read") {
        return "simple";  // the columns' name since before simple_write
    }
    return base.empty() ? "state" : base;
}

std::string few_rounds_warning(std::size_t rounds_per_state)
{
    if (rounds_per_state >= kWarnBelowRounds) {
        return {};
    }
    if (rounds_per_state == 0) {
        return "warning: no round completed: no gain and no 95% interval";
    }
    if (rounds_per_state == 1) {
        return "warning: 1 round per state: no 95% interval, the gain is one difference of two noisy numbers; "
               "use --rounds 5 (the default) or more";
    }
    return "warning: only " + std::to_string(rounds_per_state) +
           " rounds per state: Welch df 1..2 makes the 95% interval +-4.3..12.7 standard errors wide; "
           "use --rounds 5 (the default) or more for a verdict";
}

void finish_outcome(ComparisonOutcome& outcome)
{
    std::size_t fewest = outcome.states.empty() ? 0 : outcome.states.front().iops.size();
    for (StateOutcome& s : outcome.states) {
        s.summary = summarize(s.iops);
        fewest = std::min(fewest, s.iops.size());
    }
    outcome.warnings.clear();
    if (std::string w = few_rounds_warning(fewest); !w.empty()) {
        outcome.warnings.push_back(std::move(w));
    }
    if (outcome.states.size() == 2) {
        const StateOutcome& a = outcome.states[0];
        const StateOutcome& b = outcome.states[1];
        outcome.gain = welch_gain(a.summary, b.summary);
        outcome.verdict = verdict(outcome.gain, a.summary, b.summary, a.state, b.state);
    }
}

ComparisonOutcome run_comparison(const ComparisonPlan& plan, KnobGuard& knob, const Workload& workload,
                                 std::ostream& progress)
{
    check_plan(plan);
    ComparisonOutcome outcome;
    for (const std::string& s : plan.states) {
        outcome.states.push_back(StateOutcome{.state = s, .iops = {}, .summary = {}, .stats_delta = {}});
    }
    const unsigned first_round = plan.warmup ? 0 : 1;
    for (unsigned round = first_round; round <= plan.rounds && !outcome.interrupted; ++round) {
        for (StateOutcome& state : outcome.states) {
            if (stop_requested()) {
                outcome.interrupted = true;
                break;
            }
            knob.set(state.state);
            const auto before = read_module_stats(plan.stats_path);
            const std::optional<double> iops = workload();
            if (!iops) {
                outcome.interrupted = true;
                break;
            }
            const auto after = read_module_stats(plan.stats_path);
            const std::string what = round == 0 ? "warmup" : "round " + std::to_string(round) + "/" +
                                                                 std::to_string(plan.rounds);
            progress << what << " state " << state.state << ": " << with_thousands(*iops) << " IOPS\n"
                     << std::flush;
            if (round == 0) {
                continue;  // warmup: discarded
            }
            state.iops.push_back(*iops);
            if (before && after) {
                outcome.stats_available = true;
                accumulate(state.stats_delta, stats_delta(*before, *after));
            }
        }
        if (!outcome.interrupted && round > 0) {
            outcome.rounds_completed = round;
        }
    }
    finish_outcome(outcome);
    return outcome;
}

}  // namespace diobench
