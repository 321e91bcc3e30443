// Parsing of human-written sizes ("4k", "64M") and comma-separated lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace diobench {

// Binary multiples: k=1024, m=1024^2, g=1024^3, t=1024^4; an optional
// trailing "b"/"ib" is accepted ("4KiB"). Throws Error on anything else.
std::uint64_t parse_size(std::string_view text);

// Plain unsigned decimal. Throws Error naming `what` on bad input.
std::uint64_t parse_unsigned(std::string_view text, std::string_view what);

// Non-negative seconds, fractions allowed ("0.5").
double parse_seconds(std::string_view text, std::string_view what);

// "a,b,c" -> {"a","b","c"}; empty items are an error.
std::vector<std::string> split_list(std::string_view text, std::string_view what);

}  // namespace diobench
