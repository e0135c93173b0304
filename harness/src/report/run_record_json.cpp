#include "onshi/report/run_record_json.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"

namespace onshi::report {
namespace {

std::string iso8601_utc(WallTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm f{};
  gmtime_r(&seconds, &f);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &f);
  return buffer;
}

double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

std::string to_json(const flow::RunRecord& record, int indent) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& s : record.steps) {
    nlohmann::ordered_json step;
    step["name"] = s.name;
    step["status"] = flow::to_string(s.status);
    step["duration_us"] = std::chrono::duration_cast<std::chrono::microseconds>(s.duration).count();
    step["duration_ms"] = to_ms(s.duration);
    step["reason"] = s.reason;
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
    for (const auto& [key, value] : s.details) details[key] = value;
    step["details"] = details;
    steps.push_back(step);
  }
  nlohmann::ordered_json j;
  j["schema"] = flow::run_record_schema;
  j["rig"] = record.rig;
  j["scenario"] = record.scenario;
  j["patient"] = record.patient;
  j["facility"] = record.facility;
  j["started"] = iso8601_utc(record.started);
  j["total_ms"] = to_ms(record.total);
  j["all_steps_passed"] = record.all_steps_passed();
  j["expected_failed_step"] = record.expected_failed_step.empty() ? nlohmann::ordered_json(nullptr)
                                                                 : nlohmann::ordered_json(record.expected_failed_step);
  j["met_expectation"] = record.met_expectation();
  j["result_file"] = record.result_file;
  j["steps"] = steps;
  nlohmann::ordered_json journal = nlohmann::ordered_json::array();
  for (const auto& e : record.ons_journal) {
    nlohmann::ordered_json entry;
    entry["sequence"] = e.sequence;
    entry["kind"] = e.kind;
    entry["received_at"] = iso8601_utc(e.received_at);
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
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void write_json(const flow::RunRecord& record, const std::filesystem::path& file) {
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::io, "cannot write run record", temporary.string());
    out << to_json(record) << '\n';
    if (!out) throw Error(ErrorCode::io, "write failed", temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) throw Error(ErrorCode::io, "cannot rename run record into place: " + ec.message(), file.string());
}

}  // namespace onshi::report
