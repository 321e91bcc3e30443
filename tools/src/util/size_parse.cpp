#include "util/size_parse.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "util/error.hpp"

namespace diobench {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

std::uint64_t parse_unsigned(std::string_view text, std::string_view what)
{
    std::uint64_t value = 0;
    const char* const first = text.data();
    const char* const last = first + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (text.empty() || ec != std::errc() || ptr != last) {
        throw Error(std::string(what) + ": '" + std::string(text) +
                    "' is not an unsigned integer");
    }
    return value;
}

std::uint64_t parse_size(std::string_view text)
{
    const std::string s = lower(text);
    std::size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits])) != 0) {
        ++digits;
    }
    if (digits == 0) {
        throw Error("size '" + std::string(text) + "' must start with a number (e.g. 4k, 512, 64M)");
    }
    const std::uint64_t number = parse_unsigned(std::string_view(s).substr(0, digits), "size");
    std::string suffix = s.substr(digits);
    if (suffix.size() > 1 && suffix.ends_with("ib")) {
        suffix.resize(suffix.size() - 2);
    } else if (suffix.size() > 1 && suffix.ends_with('b')) {
        suffix.pop_back();
    }
    unsigned shift = 0;
    if (suffix.empty() || suffix == "b") {
        shift = 0;
    } else if (suffix == "k") {
        shift = 10;
    } else if (suffix == "m") {
        shift = 20;
    } else if (suffix == "g") {
        shift = 30;
    } else if (suffix == "t") {
        shift = 40;
    } else {
        throw Error("size '" + std::string(text) + "' has an unknown suffix (use k, M, G or T)");
    }
    if (shift > 0 && number > (std::numeric_limits<std::uint64_t>::max() >> shift)) {
        throw Error("size '" + std::string(text) + "' is too large");
    }
    return number << shift;
}

double parse_seconds(std::string_view text, std::string_view what)
{
    double value = 0;
    const char* const first = text.data();
    const char* const last = first + text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(value) || value < 0) {
        throw Error(std::string(what) + ": '" + std::string(text) +
                    "' is not a non-negative number of seconds");
    }
    return value;
}

std::vector<std::string> split_list(std::string_view text, std::string_view what)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma == std::string_view::npos
                                                             ? std::string_view::npos
                                                             : comma - start);
        if (item.empty()) {
            throw Error(std::string(what) + ": empty item in list '" + std::string(text) + "'");
        }
        items.emplace_back(item);
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return items;
}

}  // namespace diobench
