#pragma once
// Judges a medication (YZKsiquc01res) or checkup (TKKsiquc01res) answer from the terminal under
// test, read as strictly as a qualification result (answer_check.hpp): the declaration decides
// the encoding, the document must decode as an information result (onshi-hil information
// profile 1, docs/domain/ons-messages.md), CharacterCodeIdentifier must match the declaration,
// the facility and ArbitraryFileIdentifier must be the request's, and the expected codes must
// hold. With a consent on record the information must be there (at least one entry, with the
// ConsTime it rests on); without one, the refusal's ErrorCode (HIL0430) is what is expected.
#include <string>

#include "onshi/ons/information_request.hpp"
#include "onshi/receipt/answer_check.hpp"
#include "onshi/receipt/receipt_session.hpp"

namespace onshi::receipt {

AnswerVerdict check_information_answer(const std::string& bytes, const std::string& shown, ons::InformationKind kind,
                                       const AnswerExpectation& expect, const std::string& identifier,
                                       const std::string& facility_code);

}  // namespace onshi::receipt
