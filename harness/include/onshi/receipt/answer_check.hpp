#pragma once
// Judges one answer file from the terminal under test the way a strict receipt computer reads
// it: the XML declaration decides the encoding, the bytes must be valid in it, the document
// must decode as a qualification result, CharacterCodeIdentifier must match the declaration,
// and each expected code must be what the answer says. Every finding names the file and the
// field (docs/receipt-computer.md, "What is checked").
#include <cstddef>
#include <string>
#include <vector>

#include "onshi/ons/wire_format.hpp"
#include "onshi/receipt/receipt_session.hpp"

namespace onshi::receipt {

struct AnswerVerdict {
  std::vector<std::string> problems;  // empty: the answer is as expected
  ons::TextEncoding encoding = ons::TextEncoding::utf8;  // what it declared, when readable
  std::size_t bytes = 0;
  bool passed() const { return problems.empty(); }
  // "res/NAME: <first problem>; and N more", for a step's reason.
  std::string summary() const;
};

// `shown` is the file as messages name it ("res/OQSsiquc01res_….xml"); `identifier` the
// ArbitraryFileIdentifier the request carried; `facility_code` the request's.
AnswerVerdict check_answer(const std::string& bytes, const std::string& shown, const AnswerExpectation& expect,
                           const std::string& identifier, const std::string& facility_code);

}  // namespace onshi::receipt
