#include "util/number_format.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace diobench {

std::string with_thousands(std::uint64_t value)
{
    std::string digits = std::to_string(value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    return out;
}

std::string with_thousands(double value)
{
    if (!std::isfinite(value)) {
        return "n/a";
    }
    const double rounded = std::round(value);
    const std::string magnitude = with_thousands(static_cast<std::uint64_t>(std::fabs(rounded)));
    return rounded < 0 ? "-" + magnitude : magnitude;
}

std::string fixed(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return "n/a";
    }
    std::vector<char> buf(64);
    const int n = std::snprintf(buf.data(), buf.size(), "%.*f", decimals, value);
    return {buf.data(), static_cast<std::size_t>(n)};
}

std::string signed_percent(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return "n/a";
    }
    const std::string text = fixed(value, decimals);
    const bool negative = text.front() == '-' && text.find_first_not_of("-0.") != std::string::npos;
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back(negative ? '-' : '+');  // "-0.00" (rounded to zero) prints as "+0.00"
    out.append(text, text.front() == '-' ? 1 : 0);
    out.push_back('%');
    return out;
}

}  // namespace diobench
