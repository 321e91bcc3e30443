// Keeps every command-line error to one line on stderr.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace diobench {

// Replaces newlines (CLI11 sometimes adds them) with spaces and trims.
std::string one_line(const std::string& text);

// Installs a CLI11 failure formatter printing "diobench: <message>".
void use_one_line_failures(CLI::App& app);

}  // namespace diobench
