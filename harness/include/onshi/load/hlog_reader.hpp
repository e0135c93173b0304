#pragma once
// Reads an HdrHistogram interval log (.hlog, onshi/load/hlog_writer.hpp) back: the StartTime
// and BaseTime headers and every interval line with its tag and decoded histogram. For
// `report merge` (exact: histograms add) and `report compare`. Lines without a tag get the
// tag "" ; comment lines and the legend are skipped.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "onshi/load/hdr_histogram.hpp"

namespace onshi::load {

struct HlogInterval {
  std::string tag;
  double start_s = 0.0;   // seconds after the log's base time
  double length_s = 0.0;
  HdrHistogram histogram;
};

struct HlogContents {
  double start_time_s = 0.0;  // seconds since the epoch (StartTime)
  double base_time_s = 0.0;   // interval starts are relative to this (BaseTime; StartTime when absent)
  std::vector<HlogInterval> intervals;

  // Every interval of `tag` added up (an empty latency histogram when there is none).
  HdrHistogram whole(const std::string& tag) const;
  std::vector<std::string> tags() const;  // in first-seen order
};

// Throws Error(malformed_input) "FILE:LINE: what" for a line that does not parse or a
// histogram that does not decode, Error(io) when the file cannot be read.
HlogContents read_hlog(const std::filesystem::path& file);

}  // namespace onshi::load
