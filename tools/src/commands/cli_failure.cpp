#include "commands/cli_failure.hpp"

namespace diobench {

std::string one_line(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        out.push_back(c == '\n' || c == '\r' ? ' ' : c);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

void use_one_line_failures(CLI::App& app)
{
    app.failure_message([](const CLI::App* /*app*/, const CLI::Error& e) {
        return "diobench: " + one_line(e.what()) + "\n";
    });
}

}  // namespace diobench
