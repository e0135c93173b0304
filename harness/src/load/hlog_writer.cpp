#include "onshi/load/hlog_writer.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/load/hdr_encoding.hpp"

namespace onshi::load {
namespace {

std::string fixed3(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}

double epoch_seconds(WallTime t) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) / 1000.0;
}

}  // namespace

bool is_valid_hlog_tag(std::string_view tag) {
  if (tag.empty()) return false;
  for (const char c : tag) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    c == '.';
    if (!ok) return false;
  }
  return true;
}

void HlogWriter::write_header(WallTime start) {
  const std::string seconds = fixed3(epoch_seconds(start));
  out_ << "#[Histogram log format version 1.3]\n"
       << "#[StartTime: " << seconds << " (seconds since epoch), " << format_iso8601_utc(start, true) << "]\n"
       << "#[BaseTime: " << seconds << " (seconds since epoch)]\n"
       << "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
  out_.flush();
}

void HlogWriter::write_interval(std::string_view tag, double start_seconds, double length_seconds,
                                const HdrHistogram& histogram) {
  if (!is_valid_hlog_tag(tag)) {
    throw Error(ErrorCode::invalid_argument, "interval log tag '" + std::string(tag) +
                                                 "': only letters, digits, '_', '-' and '.' are allowed");
  }
  // One whole line, handed to the file at once: a run killed with SIGKILL leaves every interval
  // written so far readable and never half a line (docs/load.md, "Outputs").
  const std::string line = "Tag=" + std::string(tag) + ',' + fixed3(start_seconds) + ',' + fixed3(length_seconds) +
                           ',' + fixed3(static_cast<double>(histogram.max()) / hlog_max_value_unit_ratio) + ',' +
                           encode_compressed_base64(histogram) + '\n';
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.flush();
}

}  // namespace onshi::load
