#include "commands/run_command.hpp"

#include <iostream>
#include <vector>

#include "engines/worker_pool.hpp"
#include "io/target.hpp"
#include "report/run_report.hpp"

namespace diobench {

RunResult execute_run(const RunOptions& options, const std::function<bool()>& interrupted)
{
    std::vector<Target> targets;
    targets.reserve(options.targets.size());
    for (const std::string& path : options.targets) {
        targets.push_back(open_target(path, target_open_mode(options)));
        check_block_size(targets.back(), options.block_size);
    }
    return run_workers(options, targets, interrupted);
}

int run_command(const RunOptions& options)
{
    const RunResult result = execute_run(options);
    if (options.json) {
        std::cout << run_to_json(result).dump(2) << "\n";
    } else {
        std::cout << format_run_text(result);
    }
    return 0;
}

}  // namespace diobench
