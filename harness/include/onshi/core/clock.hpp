#pragma once
// Clocks the harness reads through an interface so tests can drive time.
#include <chrono>
#include <string>

namespace onshi {

using Duration = std::chrono::nanoseconds;
using MonotonicTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// A duration in milliseconds, as records and reports print it.
inline double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
// A duration given in (fractional) seconds, as profiles and command lines write them.
inline Duration from_seconds(double s) { return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s)); }

class Clock {
 public:
  virtual ~Clock() = default;
  virtual MonotonicTime monotonic_now() const = 0;
  virtual WallTime wall_now() const = 0;
};

// The process's real clocks.
class SystemClock final : public Clock {
 public:
  MonotonicTime monotonic_now() const override { return std::chrono::steady_clock::now(); }
  WallTime wall_now() const override { return std::chrono::system_clock::now(); }
  static const SystemClock& instance();
};

// Japan Standard Time (UTC+9, no DST) renderings used by ONS messages and file names.
std::string format_jst_date(WallTime t);      // YYYYMMDD
std::string format_jst_datetime(WallTime t);  // YYYYMMDDHHmmss

}  // namespace onshi
