#include "fio/fio_output.hpp"

#include <nlohmann/json.hpp>

#include <cstring>

#include "util/error.hpp"

namespace diobench {

namespace {

std::size_t json_start(std::string_view text)
{
    if (text.starts_with('{')) {
        return 0;
    }
    const std::size_t at = text.find("\n{");
    return at == std::string_view::npos ? std::string_view::npos : at + 1;
}

}  // namespace

FioResult parse_fio_json(std::string_view text)
{
    const std::size_t start = json_start(text);
    if (start == std::string_view::npos) {
        throw Error("fio output holds no JSON report");
    }
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.substr(start));
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("fio output is not valid JSON: ") + e.what());
    }
    try {
        FioResult r;
        r.fio_version = doc.value("fio version", std::string("unknown"));
        const nlohmann::json& jobs = doc.at("jobs");
        if (!jobs.is_array() || jobs.empty()) {
            throw Error("fio JSON report has no jobs");
        }
        for (const nlohmann::json& job : jobs) {
            const std::string name = job.value("jobname", std::string("?"));
            const int error = job.value("error", 0);
            if (error != 0) {
                throw Error("fio job '" + name + "' failed with error " + std::to_string(error) + " (" +
                            std::strerror(error) + ")");  // NOLINT(concurrency-mt-unsafe)
            }
            const nlohmann::json& read = job.at("read");
            r.read_iops += read.at("iops").get<double>();
            r.read_bw_bytes += read.at("bw_bytes").get<double>();
            r.read_ios += read.at("total_ios").get<std::uint64_t>();
            if (r.jobs == 0 && read.contains("clat_ns")) {
                r.read_clat_mean_ns = read.at("clat_ns").value("mean", 0.0);
            }
            const nlohmann::json& write = job.at("write");
            r.write_iops += write.at("iops").get<double>();
            r.write_bw_bytes += write.at("bw_bytes").get<double>();
            r.write_ios += write.at("total_ios").get<std::uint64_t>();
            ++r.jobs;
        }
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("fio JSON report lacks an expected field: ") + e.what());
    }
}

}  // namespace diobench
