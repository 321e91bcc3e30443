// diobench command line: declares every subcommand and hands over to it.
// Exit codes: 0 ok, 1 failure (I/O error, verify mismatch, bad target...),
// 2 usage error, 128+N stopped by signal N (compare/sweep).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands/cli_failure.hpp"
#include "commands/compare_command.hpp"
#include "commands/prep_command.hpp"
#include "commands/run_cli.hpp"
#include "commands/run_command.hpp"
#include "commands/stats_command.hpp"
#include "commands/sweep_command.hpp"
#include "util/error.hpp"
#include "util/size_parse.hpp"

namespace {

using namespace diobench;

constexpr int kUsageExit = 2;

struct PrepCli {
    PrepOptions options;
    std::string size;
};

struct CompareCli {
    CompareOptions options;
    std::string states = "0,1";
};

struct SweepCli {
    SweepOptions options;
    std::vector<std::string> targets;
    std::string engines = "libaio,io_uring,io_uring_poll";
    std::string qds = "1,64,128,256";
    std::string states = "0,1";
    std::string runtime = "10";
    std::string ramp = "2";
};

struct StatsCli {
    std::string path = kDefaultStats;
    bool reset = false;
};

void add_prep(CLI::App& app, PrepCli& cli)
{
    cli.options.seed = kDefaultSeed;
    app.add_option("file", cli.options.path, "File to create (an existing one needs --force, a device --allow-write)")
        ->required();
    app.add_option("--size", cli.size, "Bytes to write, e.g. 64M (required for new files)");
    app.add_option("--seed", cli.options.seed, "Seed stamped into every sector (run --verify must use the same)");
    app.add_flag("--force", cli.options.force, "Overwrite an existing regular file");
    app.add_flag("--allow-write", cli.options.allow_write, "Allow writing to an existing file or a block device");
    app.add_flag("--preallocate", cli.options.preallocate,
                 "fallocate the file first (files only); the pattern is then written over every block");
}

// Returns the --rounds option.
CLI::Option* add_plan_options(CLI::App& app, ComparisonPlan& plan, std::string& states, std::string& knob,
                              std::string& label)
{
    app.add_option("--knob", knob, "Sysfs knob to switch (default /sys/kernel/iomap/simple_read)");
    app.add_option("--states", states, "The two knob values to compare, A,B (default 0,1)");
    CLI::Option* rounds =
        app.add_option("--rounds", plan.rounds, "Measured rounds per state, interleaved A B A B (default 5)");
    app.add_flag("--warmup", plan.warmup, "Run one discarded round per state first");
    app.add_option("--stats", plan.stats_path,
                   "Module stats file read before/after each round (default /sys/kernel/iomap/stats; skipped if absent)");
    app.add_option("--label", label, "Column label for the states (default: knob name up to '_', e.g. simple)");
    return rounds;
}

void add_compare(CLI::App& app, CompareCli& cli)
{
    CompareOptions& o = cli.options;
    add_plan_options(app, o.plan, cli.states, o.knob, o.label)
        ->check(CLI::Validator(
            [](const std::string& value) {
                unsigned rounds = 0;
                return CLI::detail::lexical_cast(value, rounds) ? compare_rounds_problem(rounds) : std::string();
            },
            "ROUNDS>=2"));
    app.add_option("--fio-job", o.fio_job, "Run this fio job file (fio --output-format=json) instead of 'run'");
    app.add_option("--fio-env", o.fio_env,
                   "NAME=value for the fio job (FILENAME required; IODEPTH=32 BS=4k RUNTIME=10 RAMP=2 by default)");
    app.add_flag("--json", o.json, "Print one JSON object");
    app.add_option("workload", o.workload_args, "After '--': run TARGET [run options]");
    app.footer(
        "Example: diobench compare --rounds 5 -- run /mnt/f --runtime 2\n"
        "Statistics: per state median, mean, stddev, min, max of IOPS; the gain of B over A with a 95%\n"
        "confidence interval from Welch's t-test on the difference of means (relative to A's mean).\n"
        "Verdict: 'state X is faster by N%' when the interval excludes 0, else 'inconclusive: the 95%\n"
        "interval includes 0' with the interval. --rounds below 2 is refused; 2 gives a warning (the\n"
        "interval is then 4.3..12.7 standard errors wide). The knob's original value is restored on\n"
        "exit, on error and on SIGINT/SIGTERM (exit 130/143).");
}

void add_sweep(CLI::App& app, SweepCli& cli)
{
    SweepOptions& o = cli.options;
    app.add_option("--target", cli.targets, "NAME=PATH, repeatable (e.g. ext4=/mnt/ext4/f)")->required();
    app.add_option("--engines", cli.engines, "Comma list (default libaio,io_uring,io_uring_poll)");
    app.add_option("--qds", cli.qds, "Comma list of queue depths (default 1,64,128,256)");
    add_plan_options(app, o.plan, cli.states, o.knob, o.label);
    app.add_option("-b,--bs", o.block_size, "Block size (default 4k)");
    app.add_option("--runtime", cli.runtime, "Seconds per measurement (default 10)");
    app.add_option("--ramp", cli.ramp, "Ramp seconds before each measurement (default 2)");
    app.add_flag("--use-fio", o.use_fio, "Measure with fio and fio-jobs/randread-ENGINE.fio instead of diobench");
    app.add_option("--fio-jobs", o.fio_jobs_dir, "Directory of the fio job files (default ./fio-jobs or the source tree's)");
    app.add_option("--csv", o.csv_path, "Also write the results as CSV");
    app.add_option("--json", o.json_path, "Also write the results as JSON");
    app.add_option("--svg", o.svg_path, "Also write a bar chart as a self-contained SVG");
    app.footer(
        "Example: diobench sweep --target ext4=/mnt/ext4/f --target xfs=/mnt/xfs/f --engines io_uring --qds 32,128 "
        "--csv s.csv --svg s.svg\n"
        "Table values are mean IOPS per state; gain = mean(B)/mean(A) - 1, with the Welch 95% CI in CSV/JSON.\n"
        "--rounds 1 is accepted (gains without intervals) and, like 2, warns.");
}

void finish_sweep(SweepCli& cli)
{
    SweepOptions& o = cli.options;
    for (const std::string& t : cli.targets) {
        o.targets.push_back(parse_sweep_target(t));
    }
    o.engines = split_list(cli.engines, "--engines");
    o.qds.clear();
    for (const std::string& q : split_list(cli.qds, "--qds")) {
        o.qds.push_back(static_cast<unsigned>(std::min<std::uint64_t>(parse_unsigned(q, "--qds"), 1U << 20)));
    }
    o.plan.states = split_list(cli.states, "--states");
    o.runtime_s = parse_seconds(cli.runtime, "--runtime");
    o.ramp_s = parse_seconds(cli.ramp, "--ramp");
}

}  // namespace

static int run_main(int argc, char** argv)
{
    CLI::App app{"diobench: O_DIRECT read and write benchmark (io_uring, libaio, sync) with A/B comparison of a kernel knob",
                 "diobench"};
    use_one_line_failures(app);
    app.require_subcommand(1);

    CLI::App* run = app.add_subcommand("run", "Random or sequential O_DIRECT reads or overwrites: IOPS, bandwidth, latency, CPU");
    RunCliValues run_cli;
    add_run_options(*run, run_cli);
    run->footer("Example: diobench run /mnt/ext4/f --engine io_uring --iodepth 32 --runtime 10 --lat --json");

    CLI::App* prep = app.add_subcommand("prep", "Write the --verify pattern into a file it creates");
    PrepCli prep_cli;
    add_prep(*prep, prep_cli);
    prep->footer("Example: diobench prep /mnt/ext4/f --size 64M && diobench run /mnt/ext4/f --verify --runtime 5\n"
                 "For writes: diobench prep /mnt/ext4/w --size 64M --preallocate && "
                 "diobench run /mnt/ext4/w --rw randwrite --dsync");

    CLI::App* compare = app.add_subcommand("compare", "A/B a workload over a sysfs knob's two states");
    CompareCli compare_cli;
    add_compare(*compare, compare_cli);

    CLI::App* sweep = app.add_subcommand("sweep", "compare over targets x engines x queue depths; table, CSV, JSON, SVG");
    SweepCli sweep_cli;
    add_sweep(*sweep, sweep_cli);

    CLI::App* stats = app.add_subcommand("stats", "Print the module's stats file (or --reset it)");
    StatsCli stats_cli;
    stats->add_option("--stats", stats_cli.path, "Stats file (default /sys/kernel/iomap/stats)");
    stats->add_flag("--reset", stats_cli.reset, "Write 'reset' to the stats file");
    stats->footer("Example: diobench stats --reset && diobench run /mnt/ext4/f --runtime 2 && diobench stats");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kUsageExit;
    }

    try {
        if (*run) {
            return run_command(finish_run_options(run_cli));
        }
        if (*prep) {
            if (!prep_cli.size.empty()) {
                prep_cli.options.size = parse_size(prep_cli.size);
            }
            return prep_command(prep_cli.options);
        }
        if (*compare) {
            compare_cli.options.plan.states = split_list(compare_cli.states, "--states");
            return compare_command(compare_cli.options);
        }
        if (*sweep) {
            finish_sweep(sweep_cli);
            return sweep_command(sweep_cli.options);
        }
        if (*stats) {
            return stats_command(stats_cli.path, stats_cli.reset);
        }
    } catch (const std::exception& e) {
        std::cerr << "diobench: " << one_line(e.what()) << "\n";
        return 1;
    }
    return 1;
}

int main(int argc, char** argv)
{
    try {
        return run_main(argc, argv);
    } catch (...) {
        // Only reached for failures outside the commands (e.g. out of memory
        // while declaring the options); the commands report their own.
        std::cerr << "diobench: unexpected internal error\n";
        return 1;
    }
}
