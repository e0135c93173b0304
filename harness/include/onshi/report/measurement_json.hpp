#pragma once
// One typed measurement as JSON, the one shape every JSON output uses (the run record, the
// doctor's findings): {"name", "value" (number or text), "unit", "limits" (low, high,
// marginal_low, marginal_high; null when unbounded), "verdict"}.
#include <nlohmann/json.hpp>

#include "onshi/run/measurement.hpp"

namespace onshi::report {

nlohmann::ordered_json measurement_json(const run::Measurement& m);

}  // namespace onshi::report
