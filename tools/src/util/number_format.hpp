// Number formatting for reports: "568,193", "+5.71%", "12.3".
#pragma once

#include <cstdint>
#include <string>

namespace diobench {

std::string with_thousands(std::uint64_t value);
// Rounds to the nearest integer first; negative values keep their sign.
std::string with_thousands(double value);
std::string fixed(double value, int decimals);
// Always signed: "+5.71%", "-0.40%", "+0.00%".
std::string signed_percent(double value, int decimals = 2);

}  // namespace diobench
