#include "report/run_report.hpp"

#include "util/number_format.hpp"

namespace diobench {

namespace {

std::string micros(std::uint64_t ns)
{
    return fixed(static_cast<double>(ns) / 1000.0, 1);
}

double cpu_percent(double cpu_s, const RunResult& r)
{
    return r.elapsed_s > 0 ? 100.0 * cpu_s / r.elapsed_s : 0.0;
}

std::string joined_targets(const RunOptions& o)
{
    std::string text;
    for (const std::string& t : o.targets) {
        text += (text.empty() ? "" : ",") + t;
    }
    return text;
}

}  // namespace

std::string format_run_text(const RunResult& r)
{
    const RunOptions& o = r.options;
    std::string text = std::string(engine_name(o.engine)) + " " + std::string(rw_name(o.pattern, o.direction)) +
                       (o.dsync ? " dsync" : "") + " bs=" + std::to_string(o.block_size) +
                       " iodepth=" + std::to_string(o.iodepth) + " numjobs=" + std::to_string(o.numjobs) +
                       " targets=" + joined_targets(o) + "\n";
    if (r.interrupted) {
        text += "  (interrupted)\n";
    }
    text += "  ios=" + with_thousands(r.ios) + " runtime=" + fixed(r.elapsed_s, 3) + "s\n";
    text += "  IOPS=" + with_thousands(r.iops) + " BW=" + fixed(r.bytes_per_s / (1024.0 * 1024.0), 1) +
            "MiB/s\n";
    if (r.latency.count() > 0) {
        text += "  lat (usec): p50=" + micros(r.latency.percentile(50)) +
                " p90=" + micros(r.latency.percentile(90)) + " p99=" + micros(r.latency.percentile(99)) +
                " p99.9=" + micros(r.latency.percentile(99.9)) + " mean=" +
                fixed(r.latency.mean() / 1000.0, 1) + " max=" + micros(r.latency.max()) + "\n";
    }
    text += "  cpu: usr=" + fixed(r.user_s, 2) + "s (" + fixed(cpu_percent(r.user_s, r), 1) +
            "%) sys=" + fixed(r.sys_s, 2) + "s (" + fixed(cpu_percent(r.sys_s, r), 1) + "%)\n";
    if (o.verify && o.writes()) {
        text += "  verify: every write carried the prep pattern for its offset (seed " + std::to_string(o.seed) +
                "); read it back with run --verify\n";
    } else if (o.verify) {
        text += "  verify: " + with_thousands(r.ios) + " measured blocks (and any ramp blocks) matched the prep pattern (seed " +
                std::to_string(o.seed) + ")\n";
    }
    return text;
}

nlohmann::json run_to_json(const RunResult& r)
{
    const RunOptions& o = r.options;
    nlohmann::json j;
    j["engine"] = engine_name(o.engine);
    j["rw"] = rw_name(o.pattern, o.direction);
    j["dsync"] = o.dsync;
    j["bs"] = o.block_size;
    j["iodepth"] = o.iodepth;
    j["submit_batch"] = o.submit_batch;
    j["complete_batch"] = o.complete_batch;
    j["numjobs"] = o.numjobs;
    j["targets"] = o.targets;
    j["interrupted"] = r.interrupted;
    j["ios"] = r.ios;
    j["runtime_s"] = r.elapsed_s;
    j["iops"] = r.iops;
    j["bw_bytes_per_s"] = r.bytes_per_s;
    j["cpu"] = {{"user_s", r.user_s}, {"sys_s", r.sys_s},
                {"user_pct", cpu_percent(r.user_s, r)}, {"sys_pct", cpu_percent(r.sys_s, r)}};
    if (r.latency.count() > 0) {
        j["lat_ns"] = {{"p50", r.latency.percentile(50)},   {"p90", r.latency.percentile(90)},
                       {"p99", r.latency.percentile(99)},   {"p99.9", r.latency.percentile(99.9)},
                       {"mean", r.latency.mean()},          {"min", r.latency.min()},
                       {"max", r.latency.max()},            {"samples", r.latency.count()}};
    } else {
        j["lat_ns"] = nullptr;
    }
    j["verify"] = o.verify;
    j["seed"] = o.seed;
    return j;
}

}  // namespace diobench
