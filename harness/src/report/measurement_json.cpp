#include "onshi/report/measurement_json.hpp"

namespace onshi::report {
namespace {

using Json = nlohmann::ordered_json;

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

Json measurement_json(const run::Measurement& m) {
  Json j;
  j["name"] = m.name;
  if (m.is_number()) {
    j["value"] = std::get<double>(m.value);
  } else {
    j["value"] = std::get<std::string>(m.value);
  }
  j["unit"] = m.unit;
  if (m.limits) {
    Json limits;
    limits["low"] = optional_number(m.limits->low);
    limits["high"] = optional_number(m.limits->high);
    limits["marginal_low"] = optional_number(m.limits->marginal_low);
    limits["marginal_high"] = optional_number(m.limits->marginal_high);
    j["limits"] = limits;
  } else {
    j["limits"] = nullptr;
  }
  j["verdict"] = run::to_string(m.verdict);
  return j;
}

}  // namespace onshi::report
