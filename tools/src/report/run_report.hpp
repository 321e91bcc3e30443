// Human and JSON presentation of a RunResult.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "engines/run_result.hpp"

namespace diobench {

std::string format_run_text(const RunResult& result);
nlohmann::json run_to_json(const RunResult& result);

}  // namespace diobench
