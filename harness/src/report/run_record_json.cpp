#include "onshi/report/run_record_json.hpp"

#include "onshi/report/measurement_json.hpp"

#include <nlohmann/json.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/core/iso8601.hpp"

namespace onshi::report {
namespace {

using Json = nlohmann::ordered_json;

Json record_json(const flow::RunRecord& record) {
  Json steps = Json::array();
  for (const auto& s : record.steps) {
    Json step;
    step["name"] = s.name;
    step["status"] = flow::to_string(s.status);
    step["duration_us"] = std::chrono::duration_cast<std::chrono::microseconds>(s.duration).count();
    step["duration_ms"] = to_ms(s.duration);
    step["reason"] = s.reason;
    Json details = Json::object();
    for (const auto& [key, value] : s.details) details[key] = value;
    step["details"] = details;
    Json measurements = Json::array();
    for (const auto& m : s.measurements) measurements.push_back(measurement_json(m));
    step["measurements"] = measurements;
    steps.push_back(step);
  }
  Json j;
  j["schema"] = flow::run_record_schema;
  j["rig"] = record.rig;
  j["scenario"] = record.scenario;
  j["patient"] = record.patient;
  j["facility"] = record.facility;
  j["started"] = format_iso8601_utc(record.started);
  j["total_ms"] = to_ms(record.total);
  j["all_steps_passed"] = record.all_steps_passed();
  j["expected_failed_step"] = record.expected_failed_step.empty() ? Json(nullptr) : Json(record.expected_failed_step);
  j["met_expectation"] = record.met_expectation();
  j["result_file"] = record.result_file;
  j["steps"] = steps;
  Json journal = Json::array();
  for (const auto& e : record.ons_journal) {
    Json entry;
    entry["sequence"] = e.sequence;
    entry["kind"] = e.kind;
    entry["received_at"] = format_iso8601_utc(e.received_at);
    entry["target"] = e.target;
    entry["status"] = e.status;
    entry["error_code"] = e.error_code;
    entry["refusal"] = e.refusal;
    entry["fault"] = e.fault;
    entry["client_serial"] = e.client_serial;
    entry["client_fingerprint"] = e.client_fingerprint;
    entry["facility_code"] = e.facility_code;
    entry["patient_id"] = e.patient_id;
    entry["consents"] = e.consents;
    entry["duration_ms"] = to_ms(e.duration);
    journal.push_back(std::move(entry));
  }
  j["ons_journal"] = journal;
  // Schema 2 additions.
  j["name"] = record.name;
  j["identity_method"] = record.identity_method;
  j["expected_identity_method"] =
      record.expected_identity_method.empty() ? Json(nullptr) : Json(record.expected_identity_method);
  j["expected_reason_contains"] = record.expected_reason_contains;
  return j;
}

std::string dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string to_json(const flow::RunRecord& record, int indent) { return dump(record_json(record), indent); }

std::string to_json(const std::vector<flow::RunRecord>& records, int indent) {
  Json all = Json::array();
  for (const auto& r : records) all.push_back(record_json(r));
  return dump(all, indent);
}

void write_json(const flow::RunRecord& record, const std::filesystem::path& file) {
  write_file_atomically(file, to_json(record) + "\n");
}

}  // namespace onshi::report
