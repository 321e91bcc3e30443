#include "support/diobench_process.hpp"

namespace diobench::test {

ChildOutcome run_diobench(const std::vector<std::string>& args, double timeout_s)
{
    std::vector<std::string> argv = {DIOBENCH_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess child(argv, {});
    return child.wait({}, timeout_s);
}

std::size_t line_count(const std::string& text)
{
    std::size_t lines = 0;
    bool in_line = false;
    for (const char c : text) {
        if (c == '\n') {
            lines += in_line ? 1 : 0;
            in_line = false;
        } else {
            in_line = true;
        }
    }
    return lines + (in_line ? 1 : 0);
}

}  // namespace diobench::test
