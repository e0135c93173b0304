#include "onshi/core/iso8601.hpp"

#include <cstdio>
#include <ctime>

namespace onshi {
namespace {

bool read_number(std::string_view text, std::size_t at, std::size_t width, int& out) {
  if (at + width > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string format_iso8601_utc(WallTime t, bool with_milliseconds) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const auto seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm f{};
  gmtime_r(&seconds, &f);
  char buffer[48];
  if (with_milliseconds) {
    const int millis = static_cast<int>(ms - static_cast<long long>(seconds) * 1000);
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", f.tm_year + 1900, f.tm_mon + 1,
                  f.tm_mday, f.tm_hour, f.tm_min, f.tm_sec, millis);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.tm_year + 1900, f.tm_mon + 1, f.tm_mday,
                  f.tm_hour, f.tm_min, f.tm_sec);
  }
  return buffer;
}

std::optional<WallTime> parse_iso8601_utc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.mmm]Z
  std::tm f{};
  int year = 0, month = 0, millis = 0;
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (!read_number(text, 0, 4, year) || text[4] != '-' || !read_number(text, 5, 2, month) || text[7] != '-' ||
      !read_number(text, 8, 2, f.tm_mday) || text[10] != 'T' || !read_number(text, 11, 2, f.tm_hour) ||
      text[13] != ':' || !read_number(text, 14, 2, f.tm_min) || text[16] != ':' ||
      !read_number(text, 17, 2, f.tm_sec) || text.back() != 'Z') {
    return std::nullopt;
  }
  if (text.size() == 24 && (text[19] != '.' || !read_number(text, 20, 3, millis))) return std::nullopt;
  if (month < 1 || month > 12 || f.tm_mday < 1 || f.tm_mday > 31 || f.tm_hour > 23 || f.tm_min > 59 ||
      f.tm_sec > 60) {
    return std::nullopt;
  }
  f.tm_year = year - 1900;
  f.tm_mon = month - 1;
  const std::tm asked = f;
  const std::time_t seconds = timegm(&f);
  // timegm rolls 2026-02-30 over into March: a date that does not exist is refused instead.
  std::tm back{};
  gmtime_r(&seconds, &back);
  if (back.tm_year != asked.tm_year || back.tm_mon != asked.tm_mon || back.tm_mday != asked.tm_mday ||
      back.tm_hour != asked.tm_hour || back.tm_min != asked.tm_min || back.tm_sec != asked.tm_sec) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

}  // namespace onshi
