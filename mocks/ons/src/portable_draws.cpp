#include "portable_draws.hpp"

#include <cmath>
#include <numbers>

namespace onshi::mocks::ons::detail {

double unit_interval(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double uniform_between(double low, double high, std::mt19937_64& rng) {
  return low + (high - low) * unit_interval(rng);
}

bool chance(double p, std::mt19937_64& rng) {
  if (p >= 1.0) return true;
  if (p <= 0.0) return false;
  return unit_interval(rng) < p;
}

double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - unit_interval(rng);  // (0, 1]: log(u1) is finite
  const double u2 = unit_interval(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double log_normal(double median, double sigma, std::mt19937_64& rng) {
  return median * std::exp(sigma * standard_normal(rng));
}

}  // namespace onshi::mocks::ons::detail
