#pragma once
// HdrHistogram's interval log (.hlog, format version 1.3; docs/load.md, "The interval log"):
//
//   #[Histogram log format version 1.3]
//   #[StartTime: 1764621111.250 (seconds since epoch), 2026-12-01T20:31:51.250Z]
//   #[BaseTime: 1764621111.250 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=reception,0.000,1.000,0.004,HISTFAAAA…
//
// Each line is one interval of one tag: its start in seconds after BaseTime, its length in
// seconds, its largest value divided by the unit ratio (µs -> s: 1e6), and the histogram in
// V2 compressed form, base64. HdrHistogram's HistogramLogReader and HistogramLogProcessor
// read it; logs of several machines merge by adding the intervals of each tag.
#include <ostream>
#include <string>
#include <string_view>

#include "onshi/core/clock.hpp"
#include "onshi/load/hdr_histogram.hpp"

namespace onshi::load {

// Interval_Max is the histogram's max divided by this: values are µs, the column is seconds.
inline constexpr double hlog_max_value_unit_ratio = 1e6;

class HlogWriter {
 public:
  explicit HlogWriter(std::ostream& out) : out_(out) {}

  // The version, StartTime, BaseTime and legend lines. `start` is also the base time: interval
  // timestamps are seconds after it.
  void write_header(WallTime start);
  // Throws Error(invalid_argument) for a tag that is empty or holds anything but
  // letters, digits, '_', '-' and '.'.
  void write_interval(std::string_view tag, double start_seconds, double length_seconds, const HdrHistogram& histogram);

 private:
  std::ostream& out_;
};

bool is_valid_hlog_tag(std::string_view tag);

}  // namespace onshi::load
