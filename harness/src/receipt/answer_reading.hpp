#pragma once
// What every answer check shares (answer_check.cpp, information_check.cpp, bulk_check.cpp): the
// file read the way a strict receipt computer reads it — size bounds, the XML declaration
// deciding the encoding, the bytes valid in it — and the findings phrased alike, each naming the
// file and the field (docs/receipt-computer.md, "What is checked").
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/error.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/receipt/answer_check.hpp"

namespace onshi::receipt::reading {

// The answer as canonical UTF-8 XML, with verdict.bytes and verdict.encoding set; nullopt with
// the problem recorded when it is empty, too large or not readable ("cannot be read as <what>").
std::optional<std::string> canonical_answer(const std::string& bytes, const std::string& shown, AnswerVerdict& verdict,
                                            const std::string& what);

// "<shown>: cannot be read as <what>: <the codec's reason>".
void unreadable(AnswerVerdict& verdict, const std::string& shown, const std::string& what, const Error& e);

// CharacterCodeIdentifier must say what the declaration and the bytes are: a receipt computer
// trusts it to show the text.
void check_character_code(AnswerVerdict& verdict, const std::string& shown, ons::CharacterCodeIdentifier said);

// "<shown>: <field> is 'actual', expected 'expected'" when an expected value differs.
void compare(std::vector<std::string>& problems, const std::string& shown, const std::string& field,
             const std::optional<std::string>& expected, const std::string& actual);

}  // namespace onshi::receipt::reading
