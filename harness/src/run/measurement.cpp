#include "onshi/run/measurement.hpp"

#include <cmath>
#include <cstdio>

namespace onshi::run {

std::string_view to_string(MeasurementVerdict verdict) {
  switch (verdict) {
    case MeasurementVerdict::unset: return "unset";
    case MeasurementVerdict::pass: return "pass";
    case MeasurementVerdict::marginal: return "marginal";
    case MeasurementVerdict::fail: return "fail";
  }
  return "unknown";
}

MeasurementVerdict judge(const MeasurementValue& value, const std::optional<Limits>& limits) {
  if (!limits) return MeasurementVerdict::unset;
  const double* number = std::get_if<double>(&value);
  if (number == nullptr || std::isnan(*number)) return MeasurementVerdict::fail;
  const double v = *number;
  if (limits->low && v < *limits->low) return MeasurementVerdict::fail;
  if (limits->high && v > *limits->high) return MeasurementVerdict::fail;
  if (limits->marginal_low && v < *limits->marginal_low) return MeasurementVerdict::marginal;
  if (limits->marginal_high && v > *limits->marginal_high) return MeasurementVerdict::marginal;
  return MeasurementVerdict::pass;
}

Measurement Measurement::of(std::string name, MeasurementValue value, std::string unit, std::optional<Limits> limits) {
  Measurement m;
  m.name = std::move(name);
  m.value = std::move(value);
  m.unit = std::move(unit);
  m.limits = std::move(limits);
  m.verdict = judge(m.value, m.limits);
  return m;
}

std::string format_value(const MeasurementValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  const double v = std::get<double>(value);
  char buffer[64];
  // %.15g keeps integers integral ("3") and short decimals short ("12.5").
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

}  // namespace onshi::run
