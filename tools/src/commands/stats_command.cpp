#include "commands/stats_command.hpp"

#include <iostream>

#include "kernel/knob.hpp"
#include "kernel/module_stats.hpp"
#include "util/error.hpp"

namespace diobench {

int stats_command(const std::string& stats_path, bool reset)
{
    if (reset) {
        write_small_file(stats_path, "reset\n");
        std::cout << "stats: reset " << stats_path << "\n";
        return 0;
    }
    const auto stats = read_module_stats(stats_path);
    if (!stats) {
        throw Error("stats file " + stats_path + " does not exist (is the module loaded? use --stats PATH)");
    }
    std::cout << format_module_stats(*stats);
    return 0;
}

}  // namespace diobench
