#include "onshi/core/clock.hpp"

#include <ctime>
#include <cstdio>

namespace onshi {

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

namespace {
std::tm jst_fields(WallTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t) + 9 * 3600;
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  return fields;
}
}  // namespace

std::string format_jst_date(WallTime t) {
  const std::tm f = jst_fields(t);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", f.tm_year + 1900, f.tm_mon + 1, f.tm_mday);
  return buffer;
}

std::string format_jst_datetime(WallTime t) {
  const std::tm f = jst_fields(t);
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d%02d%02d%02d", f.tm_year + 1900, f.tm_mon + 1, f.tm_mday,
                f.tm_hour, f.tm_min, f.tm_sec);
  return buffer;
}

}  // namespace onshi
