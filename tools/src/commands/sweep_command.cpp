#include "commands/sweep_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <fstream>
#include <iostream>

#include "commands/compare_command.hpp"
#include "engines/run_options.hpp"
#include "measurement/sweep_point.hpp"
#include "report/svg_chart.hpp"
#include "report/sweep_output.hpp"
#include "util/error.hpp"
#include "util/number_format.hpp"
#include "util/signal_stop.hpp"
#include "util/size_parse.hpp"

namespace diobench {

namespace {

constexpr unsigned kMaxQd = 4096;

bool is_dir(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string canonical_engine(const std::string& name)
{
    switch (parse_engine(name)) {
    case Engine::io_uring: return "io_uring";
    case Engine::io_uring_poll: return "io_uring_poll";
    case Engine::libaio: return "libaio";
    case Engine::sync: return "sync";
    }
    return name;
}

void write_output(const std::string& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
        throw Error("cannot write " + path);
    }
}

// fio truncates "1.5" to 1 s; milliseconds keep fractions.
std::string fio_milliseconds(double seconds)
{
    return std::to_string(static_cast<long long>(std::llround(seconds * 1000.0))) + "ms";
}

PreparedWorkload point_workload(const SweepOptions& o, const SweepTarget& target, const std::string& engine,
                                unsigned qd, const std::string& jobs_dir)
{
    if (o.use_fio) {
        const std::string job = jobs_dir + "/randread-" + engine + ".fio";
        return prepare_fio_workload(job, {"FILENAME=" + target.path, "IODEPTH=" + std::to_string(qd),
                                          "BS=" + o.block_size, "RUNTIME=" + fio_milliseconds(o.runtime_s),
                                          "RAMP=" + fio_milliseconds(o.ramp_s)});
    }
    RunRequest request;
    request.options.targets = {target.path};
    request.options.engine = parse_engine(engine);
    request.options.iodepth = qd;
    request.iodepth_given = true;
    request.options.block_size = parse_size(o.block_size);
    request.options.runtime_s = o.runtime_s;
    request.runtime_given = true;
    request.options.ramp_s = o.ramp_s;
    return prepare_run_workload(resolve_run_options(request));
}

}  // namespace

SweepTarget parse_sweep_target(const std::string& text)
{
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        throw Error("--target '" + text + "' must look like NAME=PATH (e.g. ext4=/mnt/ext4/f)");
    }
    return {.name = text.substr(0, eq), .path = text.substr(eq + 1)};
}

void check_sweep_options(const SweepOptions& o)
{
    if (o.targets.empty()) {
        throw Error("sweep needs at least one --target NAME=PATH");
    }
    if (o.engines.empty() || o.qds.empty()) {
        throw Error("sweep needs at least one engine and one queue depth");
    }
    for (const std::string& e : o.engines) {
        if (canonical_engine(e) == "sync") {
            throw Error("sweep engines are libaio, io_uring and io_uring_poll (sync has no queue depth)");
        }
    }
    for (const unsigned qd : o.qds) {
        if (qd == 0 || qd > kMaxQd) {
            throw Error("--qds: queue depth " + std::to_string(qd) + " is out of range 1.." + std::to_string(kMaxQd));
        }
    }
    if (o.runtime_s <= 0) {
        throw Error("--runtime must be positive for a sweep");
    }
    (void)parse_size(o.block_size);
    check_plan(o.plan);
}

std::string find_fio_jobs_dir(const std::string& given)
{
    if (!given.empty()) {
        if (!is_dir(given)) {
            throw Error("--fio-jobs " + given + " is not a directory");
        }
        return given;
    }
    if (is_dir("fio-jobs")) {
        return "fio-jobs";
    }
    std::array<char, 4096> exe{};
    const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
    if (n > 0) {
        std::string dir(exe.data(), static_cast<std::size_t>(n));
        dir = dir.substr(0, dir.find_last_of('/'));
        std::string candidate = dir + "/../../fio-jobs";
        if (is_dir(candidate)) {
            return candidate;
        }
    }
    throw Error("cannot find the fio-jobs directory; pass --fio-jobs DIR");
}

int sweep_command(const SweepOptions& options)
{
    check_sweep_options(options);
    if (const std::string warning = few_rounds_warning(options.plan.rounds); !warning.empty()) {
        std::cerr << "diobench: sweep: " << warning << "\n";
    }
    const std::string jobs_dir = options.use_fio ? find_fio_jobs_dir(options.fio_jobs_dir) : std::string();
    const SweepLabels labels{.label = options.label.empty() ? knob_label(options.knob) : options.label,
                             .states = options.plan.states};

    std::vector<SweepPoint> points;
    bool interrupted = false;
    const SignalStopScope signals;
    {
        KnobGuard knob(options.knob);
        for (const SweepTarget& target : options.targets) {
            for (const std::string& engine_arg : options.engines) {
                const std::string engine = canonical_engine(engine_arg);
                for (const unsigned qd : options.qds) {
                    if (interrupted || stop_requested()) {
                        interrupted = true;
                        break;
                    }
                    SweepPoint point{.target_name = target.name,
                                     .target_path = target.path,
                                     .engine = engine,
                                     .qd = qd,
                                     .outcome = {},
                                     .error = {}};
                    std::cerr << "sweep: " << target.name << " " << engine << " qd " << qd << "\n";
                    try {
                        const PreparedWorkload workload = point_workload(options, target, engine, qd, jobs_dir);
                        point.outcome = run_comparison(options.plan, knob, workload.run, std::cerr);
                        interrupted = point.outcome.interrupted;
                    } catch (const KnobError&) {
                        throw;
                    } catch (const Error& e) {
                        // One unsupported point (e.g. polled I/O on a file) must not
                        // discard the rest of the matrix.
                        point.error = e.what();
                        std::cerr << "sweep: " << target.name << " " << engine << " qd " << qd
                                  << " failed: " << e.what() << "\n";
                    }
                    if (!interrupted) {
                        points.push_back(std::move(point));
                    }
                }
            }
        }
        knob.restore();
    }

    const std::string title = "diobench sweep: " + labels.column(0) + " vs " + labels.column(1);
    std::cout << format_sweep_table(points, labels);
    if (!options.csv_path.empty()) {
        write_output(options.csv_path, sweep_csv(points, labels));
    }
    if (!options.json_path.empty()) {
        write_output(options.json_path, sweep_json(points, labels, options.knob, interrupted).dump(2) + "\n");
    }
    if (!options.svg_path.empty()) {
        write_output(options.svg_path, render_sweep_svg(points, labels, title));
    }
    if (interrupted) {
        const int sig = stop_signal();
        std::cerr << "diobench: sweep interrupted by signal " << sig << "; knob " << options.knob << " restored\n";
        return exit_code_for_signal(sig != 0 ? sig : SIGINT);
    }
    for (const SweepPoint& p : points) {
        if (!p.error.empty()) {
            return 1;
        }
    }
    return 0;
}

}  // namespace diobench
