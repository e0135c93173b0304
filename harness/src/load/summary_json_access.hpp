#pragma once
// Reading summary.json back (the reports, report merge and compare): the schema checked once,
// and every missing key named, so a damaged or foreign file is a clear error, not a crash.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/load/load_summary.hpp"

namespace onshi::load {

// ordered_json (the default) keeps the steps in the order the run recorded them, for the reports.
template <class Json = nlohmann::ordered_json>
Json parse_load_summary(std::string_view text, const std::string& where = "summary.json") {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw Error(ErrorCode::malformed_input, "not a JSON object", where);
  }
  if (j.value("schema", "") != load_summary_schema) {
    throw Error(ErrorCode::malformed_input,
                std::string("schema is '") + j.value("schema", "") + "', expected '" + load_summary_schema + "'", where);
  }
  return j;
}

template <class Json>
const Json& required(const Json& j, const std::string& key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) {
    throw Error(ErrorCode::malformed_input, "load summary: '" + where + "' has no key '" + key + "'");
  }
  return j.at(key);
}

}  // namespace onshi::load
