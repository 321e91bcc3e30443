// Running the built diobench binary from the end-to-end tests.
#pragma once

#include <string>
#include <vector>

#include "util/child_process.hpp"

namespace diobench::test {

// Runs diobench with `args`, kills it after `timeout_s`.
ChildOutcome run_diobench(const std::vector<std::string>& args, double timeout_s = 60);

// Number of non-empty lines.
std::size_t line_count(const std::string& text);

}  // namespace diobench::test
