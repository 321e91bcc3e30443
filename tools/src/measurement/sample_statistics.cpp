#include "measurement/sample_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "util/number_format.hpp"

namespace diobench {

namespace {

constexpr double kConfidenceQuantile = 0.975;  // two-sided 95%

// Continued fraction for the regularized incomplete beta function
// (modified Lentz's method).
double beta_continued_fraction(double a, double b, double x)
{
    constexpr int kMaxIterations = 300;
    constexpr double kEpsilon = 1e-15;
    constexpr double kTiny = 1e-300;
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    d = std::fabs(d) < kTiny ? kTiny : d;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= kMaxIterations; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = std::fabs(d) < kTiny ? kTiny : d;
        c = 1.0 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = std::fabs(d) < kTiny ? kTiny : d;
        c = 1.0 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < kEpsilon) {
            break;
        }
    }
    return h;
}

double regularized_incomplete_beta(double a, double b, double x)
{
    if (x <= 0.0) {
        return 0.0;
    }
    if (x >= 1.0) {
        return 1.0;
    }
    // lgamma writes the global signgam; statistics run on one thread only.
    const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +  // NOLINT(concurrency-mt-unsafe)
                             a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return front * beta_continued_fraction(a, b, x) / a;
    }
    return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

SampleSummary summarize(std::span<const double> samples)
{
    SampleSummary s;
    s.n = samples.size();
    if (s.n == 0) {
        return s;
    }
    std::vector<double> sorted(samples.begin(), samples.end());
    std::ranges::sort(sorted);
    s.min = sorted.front();
    s.max = sorted.back();
    const std::size_t mid = s.n / 2;
    s.median = s.n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(s.n);
    if (s.n > 1) {
        double squares = 0;
        for (const double v : sorted) {
            squares += (v - s.mean) * (v - s.mean);
        }
        s.stddev = std::sqrt(squares / static_cast<double>(s.n - 1));
    }
    return s;
}

double student_t_cdf(double t, double df)
{
    const double x = df / (df + t * t);
    const double tail = 0.5 * regularized_incomplete_beta(df / 2.0, 0.5, x);
    return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df)
{
    if (p == 0.5) {
        return 0.0;
    }
    if (p < 0.5) {
        return -student_t_quantile(1.0 - p, df);
    }
    // Bisection: the CDF is monotonic; 200 halvings reach double precision.
    double lo = 0.0;
    double hi = 1.0;
    while (student_t_cdf(hi, df) < p && hi < 1e12) {
        hi *= 2.0;
    }
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (student_t_cdf(mid, df) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

GainEstimate welch_gain(const SampleSummary& a, const SampleSummary& b)
{
    GainEstimate g;
    g.difference = b.mean - a.mean;
    g.gain_pct = a.mean != 0 ? g.difference / a.mean * 100.0 : std::numeric_limits<double>::quiet_NaN();
    if (a.n < 2 || b.n < 2 || a.mean == 0) {
        return g;
    }
    const double va = a.stddev * a.stddev / static_cast<double>(a.n);
    const double vb = b.stddev * b.stddev / static_cast<double>(b.n);
    g.standard_error = std::sqrt(va + vb);
    if (g.standard_error == 0) {
        // Both states perfectly constant: the difference is exact.
        g.degrees_of_freedom = std::numeric_limits<double>::infinity();
        g.t_critical = 0;
        g.ci_low_pct = g.gain_pct;
        g.ci_high_pct = g.gain_pct;
        return g;
    }
    const double denominator = va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1);
    g.degrees_of_freedom = (va + vb) * (va + vb) / denominator;
    g.t_critical = student_t_quantile(kConfidenceQuantile, g.degrees_of_freedom);
    const double half_width = g.t_critical * g.standard_error;
    g.ci_low_pct = (g.difference - half_width) / a.mean * 100.0;
    g.ci_high_pct = (g.difference + half_width) / a.mean * 100.0;
    return g;
}

bool is_significant(const GainEstimate& g)
{
    return g.ci_low_pct && g.ci_high_pct && (*g.ci_low_pct > 0 || *g.ci_high_pct < 0);
}

std::string verdict(const GainEstimate& g, const SampleSummary& a, const SampleSummary& b,
                    const std::string& label_a, const std::string& label_b)
{
    if (!g.ci_low_pct || !g.ci_high_pct) {
        return "inconclusive: need at least 2 rounds per state for a confidence interval";
    }
    if (!is_significant(g)) {
        return "inconclusive: the 95% interval includes 0 (gain of state " + label_b + " over state " + label_a +
               ": 95% CI " + signed_percent(*g.ci_low_pct) + ".." + signed_percent(*g.ci_high_pct) + ")";
    }
    // Express the gain relative to the slower state, so "faster by N%" reads
    // the same way whichever state wins.
    const bool b_faster = g.difference > 0;
    const double slower_mean = b_faster ? a.mean : b.mean;
    const double sign = b_faster ? 1.0 : -1.0;
    const double half_width = g.t_critical * g.standard_error;
    const double gain = sign * g.difference / slower_mean * 100.0;
    const double low = (sign * g.difference - half_width) / slower_mean * 100.0;
    const double high = (sign * g.difference + half_width) / slower_mean * 100.0;
    return "state " + (b_faster ? label_b : label_a) + " is faster by " + fixed(gain, 2) + "% (95% CI " +
           fixed(low, 2) + ".." + fixed(high, 2) + "%)";
}

}  // namespace diobench
