#include "onshi/core/clock.hpp"

#include <ctime>
#include <string>

namespace onshi {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

namespace {
// The mock ONS stamps every answer: the broken-down time is kept per thread for the second it
// was last asked for, and the digits are written without printf.
const std::tm& jst_fields(WallTime t) {
  thread_local std::time_t cached_seconds = -1;
  thread_local std::tm fields{};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t) + 9 * 3600;
  if (seconds != cached_seconds) {
    gmtime_r(&seconds, &fields);
    cached_seconds = seconds;
  }
  return fields;
}

void append_digits(std::string& out, int value, int width) {
  char digits[12];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits, static_cast<std::size_t>(width));
}

void append_date(std::string& out, const std::tm& f) {
  append_digits(out, f.tm_year + 1900, 4);
  append_digits(out, f.tm_mon + 1, 2);
  append_digits(out, f.tm_mday, 2);
}
}  // namespace

std::string format_jst_date(WallTime t) {
  std::string out;
  append_date(out, jst_fields(t));
  return out;
}

std::string format_jst_datetime(WallTime t) {
  const std::tm& f = jst_fields(t);
  std::string out;
  out.reserve(14);
  append_date(out, f);
  append_digits(out, f.tm_hour, 2);
  append_digits(out, f.tm_min, 2);
  append_digits(out, f.tm_sec, 2);
  return out;
}

}  // namespace onshi
