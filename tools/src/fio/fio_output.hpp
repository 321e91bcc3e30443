// Reading fio's --output-format=json report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace diobench {

struct FioResult {
    std::string fio_version;
    std::size_t jobs = 0;
    double read_iops = 0;      // summed over jobs
    double read_bw_bytes = 0;  // bytes/s, summed over jobs
    std::uint64_t read_ios = 0;
    double read_clat_mean_ns = 0;  // of the first job (group_reporting: the group)
    double write_iops = 0;         // summed over jobs (write jobs)
    double write_bw_bytes = 0;
    std::uint64_t write_ios = 0;
};

// Throws Error when the text holds no JSON object, the JSON lacks the
// fields fio writes, or a job reports a non-zero "error".
// Text before the first line starting with '{' (fio warnings) is skipped.
FioResult parse_fio_json(std::string_view text);

}  // namespace diobench
