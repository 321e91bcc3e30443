#include "commands/run_cli.hpp"

#include <algorithm>

#include "commands/cli_failure.hpp"
#include "util/error.hpp"
#include "util/size_parse.hpp"

namespace diobench {

void add_run_options(CLI::App& app, RunCliValues& v)
{
    RunOptions& o = v.request.options;
    app.add_option("targets", o.targets,
                   "Files or block devices (opened read-only; write-only for writes, which never extend a file)")
        ->required();
    app.add_option("--engine", v.engine, "io_uring (default), io_uring-poll, sync (pread), libaio");
    app.add_option("--rw", v.pattern,
                   "randread (default), read (sequential), randwrite or write (overwrites of the target's blocks)");
    app.add_flag("--dsync", o.dsync,
                 "Writes with O_DSYNC semantics per I/O: RWF_DSYNC (io_uring, sync), an O_DSYNC open (libaio)");
    app.add_flag("--allow-write", o.allow_write, "Allow writes to a block device (they destroy its data)");
    app.add_option("-b,--bs", v.block_size, "Block size, e.g. 512, 4k, 16k (default 4k)");
    v.iodepth_option = app.add_option("-d,--iodepth", o.iodepth, "Queue depth per job (default 32)");
    app.add_option("-s,--submit-batch", o.submit_batch,
                   "Submit this many I/Os per syscall (default iodepth/4, 1..32)");
    app.add_option("-c,--complete-batch", o.complete_batch,
                   "Wait for this many completions per syscall (default iodepth/4, 1..32)");
    app.add_flag("--hipri", o.hipri, "Polled I/O (IORING_SETUP_IOPOLL)");
    app.add_flag("--fixedbufs", o.fixed_buffers, "Registered buffers (read_fixed)");
    app.add_flag("--registerfiles", o.register_files, "Registered files");
    app.add_flag("--register-ring", o.register_ring, "Registered ring fd");
    app.add_option("--numjobs,--threads", o.numjobs, "Worker threads, each with its own ring (default 1)");
    app.add_option("--cpus", v.cpus, "Pin worker i to the i-th CPU of this list, e.g. 0,1");
    app.add_option("--runtime", v.runtime,
                   "Seconds to measure (default 10; unlimited with --number-ios alone)");
    app.add_option("--ramp", v.ramp, "Seconds of I/O before measuring (default 0)");
    app.add_option("--number-ios", o.number_ios, "Stop each job after this many measured I/Os");
    app.add_option("--seed", o.seed, "Seed for random offsets and the --verify pattern");
    app.add_flag("--lat", o.latency, "Record latency percentiles p50/p90/p99/p99.9 (without it: no clock reads per I/O)");
    app.add_flag("--verify", o.verify,
                 "Reads: check every block against the pattern written by prep; writes: write that pattern");
    app.add_flag("--json", o.json, "Print one JSON object");
}

RunOptions finish_run_options(RunCliValues& v)
{
    RunOptions& o = v.request.options;
    o.engine = parse_engine(v.engine);
    const RwMode rw = parse_rw(v.pattern);
    o.pattern = rw.pattern;
    o.direction = rw.direction;
    o.block_size = parse_size(v.block_size);
    v.request.iodepth_given = v.iodepth_option != nullptr && v.iodepth_option->count() > 0;
    if (!v.runtime.empty()) {
        o.runtime_s = parse_seconds(v.runtime, "--runtime");
        v.request.runtime_given = true;
    }
    o.ramp_s = parse_seconds(v.ramp, "--ramp");
    o.cpus.clear();
    if (!v.cpus.empty()) {
        for (const std::string& item : split_list(v.cpus, "--cpus")) {
            o.cpus.push_back(static_cast<unsigned>(
                std::min<std::uint64_t>(parse_unsigned(item, "--cpus"), 1U << 20)));
        }
    }
    return resolve_run_options(v.request);
}

RunOptions parse_run_arguments(const std::vector<std::string>& args)
{
    CLI::App app{"diobench run", "run"};
    RunCliValues values;
    add_run_options(app, values);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        throw Error("'run --help' inside a workload: see 'diobench run --help'");
    } catch (const CLI::ParseError& e) {
        throw Error("workload 'run': " + one_line(e.what()));
    }
    return finish_run_options(values);
}

}  // namespace diobench
