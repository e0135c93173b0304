#pragma once
// The run record as JSON ("schema": "onshi-hil/run-record/1"): what CI archives and what
// dashboards read. Durations are in microseconds and milliseconds, times in UTC ISO 8601.
#include <filesystem>
#include <string>

#include "onshi/flow/run_record.hpp"

namespace onshi::report {

std::string to_json(const flow::RunRecord& record, int indent = 2);
// Writes atomically (temporary file + rename); Error(io) naming the path on failure.
void write_json(const flow::RunRecord& record, const std::filesystem::path& file);

}  // namespace onshi::report
