#pragma once
// A typed measurement a phase records: a name, a value (a number or a text), a unit, optional
// limits with a marginal band, and the verdict the limits give (docs/architecture.md, "Run
// executor"). Limits follow OpenHTF's in_range: low <= value <= high passes; a value inside
// the limits but below marginal_low or above marginal_high is marginal; outside them fails.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace onshi::run {

using MeasurementValue = std::variant<double, std::string>;

struct Limits {
  std::optional<double> low;
  std::optional<double> high;
  std::optional<double> marginal_low;   // values in [low, marginal_low) are marginal
  std::optional<double> marginal_high;  // values in (marginal_high, high] are marginal

  static Limits at_most(double high) { return Limits{std::nullopt, high, std::nullopt, std::nullopt}; }
  static Limits at_least(double low) { return Limits{low, std::nullopt, std::nullopt, std::nullopt}; }
};

enum class MeasurementVerdict { unset, pass, marginal, fail };
std::string_view to_string(MeasurementVerdict verdict);

// unset without limits; a text value against numeric limits fails (it cannot be in range).
MeasurementVerdict judge(const MeasurementValue& value, const std::optional<Limits>& limits);

struct Measurement {
  std::string name;
  MeasurementValue value;
  std::string unit;  // "ms", "bytes", "days", "" for a count or a text
  std::optional<Limits> limits;
  MeasurementVerdict verdict = MeasurementVerdict::unset;

  // A measurement with its verdict computed from the limits.
  static Measurement of(std::string name, MeasurementValue value, std::string unit = {},
                        std::optional<Limits> limits = std::nullopt);
  bool is_number() const { return std::holds_alternative<double>(value); }
};

// "12.5", "3", "3BE0..." : the value as a reporter prints it (numbers without trailing zeros).
std::string format_value(const MeasurementValue& value);

}  // namespace onshi::run
