// ISO 8601 UTC as every record, journal and manifest writes it: the format, the round trip,
// and the texts the parser must refuse rather than guess at.
#include <gtest/gtest.h>

#include <chrono>

#include "onshi/core/iso8601.hpp"

namespace onshi {
namespace {

using namespace std::chrono_literals;

WallTime at(std::int64_t unix_ms) { return WallTime{std::chrono::milliseconds(unix_ms)}; }

TEST(Iso8601, FormatsUtcWithAndWithoutMilliseconds) {
  const WallTime t = at(1'796'153'400'123);  // 2026-12-01T19:30:00.123Z
  EXPECT_EQ(format_iso8601_utc(t), "2026-12-01T19:30:00Z");
  EXPECT_EQ(format_iso8601_utc(t, true), "2026-12-01T19:30:00.123Z");
  EXPECT_EQ(format_iso8601_utc(at(0), true), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_utc(at(-1), true), "1969-12-31T23:59:59.999Z");  // before the epoch
}

TEST(Iso8601, ParseRoundTripsWhatFormatWrites) {
  for (const std::int64_t ms : {std::int64_t{0}, std::int64_t{951'782'400'000}, std::int64_t{1'796'153'400'123}}) {
    const WallTime t = at(ms);
    EXPECT_EQ(parse_iso8601_utc(format_iso8601_utc(t, true)), t) << ms;
    const WallTime whole_seconds = at(ms - ms % 1000);
    EXPECT_EQ(parse_iso8601_utc(format_iso8601_utc(t)), whole_seconds) << ms;
  }
  EXPECT_EQ(parse_iso8601_utc("2000-02-29T12:00:00Z"), at(951'825'600'000));  // a leap day
}

TEST(Iso8601, RefusesWhatItDoesNotWrite) {
  for (const char* bad : {"", "2026-12-01", "2026-12-01T19:30:00", "2026-12-01 19:30:00Z", "2026-12-01T19:30:00+09:00",
                          "2026-13-01T19:30:00Z", "2026-00-01T19:30:00Z", "2026-12-32T19:30:00Z",
                          "2026-12-01T24:00:00Z", "2026-12-01T19:60:00Z", "2026-12-01T19:30:61Z",
                          "2026-12-01T19:30:00.12Z", "2026-12-01T19:30:00,123Z", "2026-1a-01T19:30:00Z",
                          "２026-12-01T19:30:00Z",
                          // days that do not exist, which timegm would roll into the next month
                          "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
                          "2026-12-01T23:59:60Z"}) {
    EXPECT_FALSE(parse_iso8601_utc(bad).has_value()) << "'" << bad << "' was accepted";
  }
}

}  // namespace
}  // namespace onshi
