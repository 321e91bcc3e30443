#include "commands/compare_command.hpp"

#include <sys/stat.h>

#include <iostream>

#include "commands/run_cli.hpp"
#include "commands/run_command.hpp"
#include "fio/fio_job.hpp"
#include "io/target.hpp"
#include "report/compare_report.hpp"
#include "util/error.hpp"
#include "util/signal_stop.hpp"

namespace diobench {

PreparedWorkload prepare_run_workload(const RunOptions& options)
{
    for (const std::string& path : options.targets) {
        const Target t = open_target(path, target_open_mode(options));
        check_block_size(t, options.block_size);
    }
    std::string description = "diobench run " + std::string(engine_name(options.engine)) + " " +
                              std::string(rw_name(options.pattern, options.direction)) +
                              (options.dsync ? " dsync" : "") +
                              " bs=" + std::to_string(options.block_size) +
                              " iodepth=" + std::to_string(options.iodepth) +
                              " numjobs=" + std::to_string(options.numjobs);
    for (const std::string& t : options.targets) {
        description += " " + t;
    }
    return {.run = [options]() -> std::optional<double> {
                const RunResult r = execute_run(options, [] { return stop_requested(); });
                if (r.interrupted) {
                    return std::nullopt;
                }
                return r.iops;
            },
            .description = description};
}

PreparedWorkload prepare_fio_workload(const std::string& job_file, const std::vector<std::string>& env)
{
    struct stat st {};
    if (::stat(job_file.c_str(), &st) != 0) {
        throw Error(errno_text("fio job " + job_file, errno));
    }
    const std::vector<std::string> resolved = resolve_fio_env(env);  // fails early on a missing FILENAME
    std::string description = "fio " + job_file;
    for (const std::string& e : resolved) {
        description += " " + e;
    }
    return {.run = [job_file, env]() -> std::optional<double> {
                const FioRun run = run_fio_job(job_file, env, [] { return stop_requested(); });
                if (run.interrupted) {
                    return std::nullopt;
                }
                return run.result.read_iops + run.result.write_iops;
            },
            .description = description};
}

std::string compare_rounds_problem(unsigned rounds)
{
    if (rounds >= kMinimumCompareRounds) {
        return {};
    }
    return "compare needs at least " + std::to_string(kMinimumCompareRounds) +
           " rounds per state for a 95% interval, got " + std::to_string(rounds) + " (default 5)";
}

int compare_command(const CompareOptions& options)
{
    if (const std::string problem = compare_rounds_problem(options.plan.rounds); !problem.empty()) {
        throw Error("--rounds: " + problem);
    }
    check_plan(options.plan);
    const bool has_run = !options.workload_args.empty();
    if (has_run == !options.fio_job.empty()) {
        throw Error(has_run ? "give either '-- run ...' or --fio-job, not both"
                            : "compare needs a workload: '-- run TARGET [run options]' or --fio-job FILE");
    }
    PreparedWorkload workload;
    if (has_run) {
        if (options.workload_args.front() != "run") {
            throw Error("the workload after '--' must start with 'run', got '" + options.workload_args.front() + "'");
        }
        const std::vector<std::string> run_args(options.workload_args.begin() + 1, options.workload_args.end());
        workload = prepare_run_workload(parse_run_arguments(run_args));
    } else {
        workload = prepare_fio_workload(options.fio_job, options.fio_env);
    }

    if (const std::string warning = few_rounds_warning(options.plan.rounds); !warning.empty()) {
        std::cerr << "diobench: " << warning << "\n";
    }
    const SignalStopScope signals;
    ComparisonOutcome outcome;
    {
        KnobGuard knob(options.knob);
        outcome = run_comparison(options.plan, knob, workload.run, std::cerr);
        knob.restore();  // explicit, so a failure to restore is an error exit
    }
    const CompareContext context{.knob = options.knob,
                                 .label = options.label.empty() ? knob_label(options.knob) : options.label,
                                 .workload = workload.description,
                                 .rounds = options.plan.rounds,
                                 .warmup = options.plan.warmup};
    if (options.json) {
        std::cout << compare_to_json(outcome, context).dump(2) << "\n";
    } else {
        std::cout << format_compare_text(outcome, context);
    }
    if (outcome.interrupted) {
        const int sig = stop_signal();
        std::cerr << "diobench: interrupted by signal " << sig << "; knob " << options.knob
                  << " restored\n";
        return exit_code_for_signal(sig != 0 ? sig : SIGINT);
    }
    return 0;
}

}  // namespace diobench
