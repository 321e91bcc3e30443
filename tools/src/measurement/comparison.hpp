// The A/B procedure shared by `compare` and `sweep`: interleave the knob's
// states round by round, measure the workload under each, collect the
// module's stats deltas, and estimate the gain.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kernel/knob.hpp"
#include "kernel/module_stats.hpp"
#include "measurement/sample_statistics.hpp"

namespace diobench {

inline constexpr const char* kDefaultKnob = "/sys/kernel/iomap/simple_read";
inline constexpr const char* kDefaultStats = "/sys/kernel/iomap/stats";
inline constexpr const char* kMethodText =
    "Welch t-test: 95% two-sided confidence interval of mean(B) - mean(A), relative to mean(A)";

// Rounds per state. `compare` refuses fewer than kMinimumCompareRounds: one
// round gives no interval at all. Reports below kWarnBelowRounds carry a
// warning: with 2 rounds per state Welch's df is 1..2, so the 95% interval
// is 4.3..12.7 standard errors to each side and hides all but differences far
// beyond the round-to-round swing. `sweep` still accepts 1 round (a survey of
// gains without intervals, e.g. on a deterministic instruction-count guest).
inline constexpr unsigned kMinimumCompareRounds = 2;
inline constexpr unsigned kWarnBelowRounds = 3;

// Empty for rounds_per_state >= kWarnBelowRounds, else one line starting
// with "warning: ".
std::string few_rounds_warning(std::size_t rounds_per_state);

struct ComparisonPlan {
    std::vector<std::string> states;  // exactly two: A then B
    unsigned rounds = 5;
    bool warmup = false;              // one discarded round per state first
    std::string stats_path = kDefaultStats;
};

// One measurement: IOPS, or std::nullopt when a stop was requested.
using Workload = std::function<std::optional<double>()>;

struct StateOutcome {
    std::string state;
    std::vector<double> iops;  // one per completed round
    SampleSummary summary;
    StatsDelta stats_delta;    // summed over this state's measured rounds
};

struct ComparisonOutcome {
    std::vector<StateOutcome> states;
    bool stats_available = false;
    GainEstimate gain;
    std::string verdict;
    std::vector<std::string> warnings;  // e.g. few_rounds_warning()
    unsigned rounds_completed = 0;
    bool interrupted = false;
};

// Rejects plans that cannot be run (not two states, zero rounds).
void check_plan(const ComparisonPlan& plan);

// `knob` is left at the last state written; the caller's KnobGuard restores
// it. `progress` gets one line per round.
ComparisonOutcome run_comparison(const ComparisonPlan& plan, KnobGuard& knob, const Workload& workload,
                                 std::ostream& progress);

// Fills summaries, gain, verdict and warnings from the samples.
void finish_outcome(ComparisonOutcome& outcome);

// Column label for a knob path: its basename ("simple_write",
// "alloc_cache"), and "simple" for .../simple_read.
std::string knob_label(const std::string& knob_path);

}  // namespace diobench
