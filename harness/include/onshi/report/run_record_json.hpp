#pragma once
// The run record as JSON ("schema": "onshi-hil/run-record/2"): what CI archives and what
// dashboards read. Durations are in microseconds and milliseconds, times in UTC ISO 8601.
// Schema 2 keeps every field of schema 1 and adds, per step, "measurements" (name, value as a
// number or a text, unit, limits or null, verdict) and, per run, "name", "identity_method",
// "expected_identity_method" and "expected_reason_contains".
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"

namespace onshi::report {

std::string to_json(const flow::RunRecord& record, int indent = 2);
// Several runs: a JSON array of records.
std::string to_json(const std::vector<flow::RunRecord>& records, int indent = 2);
// Writes atomically (onshi/core/atomic_file.hpp); Error(io) naming the path on failure.
void write_json(const flow::RunRecord& record, const std::filesystem::path& file);

}  // namespace onshi::report
