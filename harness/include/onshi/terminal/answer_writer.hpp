#pragma once
// Writes the terminal's answers into res/: canonical UTF-8 XML from the ons encoders turned
// into the encoding the rig chose ([output] encoding), CharacterCodeIdentifier set to match
// the bytes, and written atomically (onshi/core/atomic_file.hpp) so the receipt computer
// never sees half a file.
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/wire_format.hpp"

namespace onshi::terminal {

// The terminal's own error codes in ErrorCode (docs/terminal.md, "Error answers").
inline constexpr const char* kRequestUnreadable = "HIL0801";  // size, encoding, XML, elements
inline constexpr const char* kRequestNotServed = "HIL0802";   // a function this terminal does not answer
inline constexpr const char* kOnsUnreachable = "HIL0803";     // no answer from the ONS
inline constexpr const char* kAnswerNotEncodable = "HIL0804"; // the answer has no Shift_JIS form
inline constexpr const char* kOnsRefused = "HIL0805";          // the ONS refused it without a result body

// An error result: SegmentOfResult 9, ProcessingResultStatus 2, ErrorCode `code`, and
// `reason` as ErrorMessage and ProcessingResultMessage.
ons::QualificationResult error_result(const std::string& code, const std::string& reason,
                                      const std::string& facility_code, WallTime at);

// Converts `canonical_xml` to `encoding` and writes it atomically to `file`; returns the
// bytes written. Throws Error(invalid_argument) when a character has no Shift_JIS form
// (nothing is written), Error(io) naming the file when it cannot be written.
std::size_t write_answer(const std::filesystem::path& file, const std::string& canonical_xml, ons::TextEncoding encoding);

}  // namespace onshi::terminal
