#pragma once
// What a system under test writes to stdout and stderr goes into the run record, and a
// record never holds a PIN or a My Number in clear (docs/sut.md, "Output"). A SUT's log is
// free text, so this masks what looks like one: a run of exactly 12 digits (a My Number,
// last two digits kept, as onshi/core/redact.hpp does for card numbers), and the digits
// after "PIN" or 暗証番号 (any case, then optional ':', '=', quotes or blanks).
#include <string>
#include <string_view>

namespace onshi::sut {

std::string redact_log_line(std::string_view line);

}  // namespace onshi::sut
