#pragma once
// ISO 8601 UTC timestamps ("2026-12-01T19:30:00Z", optionally with milliseconds): the one
// rendering every record, journal, manifest and report uses.
#include <optional>
#include <string>
#include <string_view>

#include "onshi/core/clock.hpp"

namespace onshi {

std::string format_iso8601_utc(WallTime t, bool with_milliseconds = false);
// Accepts what format_iso8601_utc writes (with or without milliseconds); nullopt otherwise.
std::optional<WallTime> parse_iso8601_utc(std::string_view text);

}  // namespace onshi
