#pragma once
// Random draws a fault plan's seed fixes on every platform. std::mt19937_64's output is fixed
// by the standard, but std::uniform_real_distribution, std::lognormal_distribution and
// std::bernoulli_distribution are not (libstdc++ and libc++ map the same engine output to
// different values), so a seeded plan would inject different faults depending on the
// standard library. These mappings are ours, written out.
#include <random>

namespace onshi::mocks::ons::detail {

// [0, 1) from the top 53 bits of one engine output.
double unit_interval(std::mt19937_64& rng);
// [low, high) by one unit_interval draw.
double uniform_between(double low, double high, std::mt19937_64& rng);
// True with probability `p` (one draw, or none for p <= 0 and p >= 1).
bool chance(double p, std::mt19937_64& rng);
// A standard normal by Box-Muller (two engine outputs per draw, no state carried between draws).
double standard_normal(std::mt19937_64& rng);
// A log-normal with this median (e^mu) and sigma.
double log_normal(double median, double sigma, std::mt19937_64& rng);

}  // namespace onshi::mocks::ons::detail
