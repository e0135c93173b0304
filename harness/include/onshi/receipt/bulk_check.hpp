#pragma once
// Judges the two kinds of answer to a bulk inquiry from the terminal under test
// (docs/receipt-computer.md, "Bulk inquiries"; the messages: docs/domain/ons-messages.md, "Bulk
// qualification inquiry"), read as strictly as a qualification result (answer_check.hpp):
//   - OQSmuquc01res: SegmentOfResult 2 (処理中) with a ReceptionNumber to fetch by;
//   - OQSmuquc02res: SegmentOfResult 2 while the ONS works (bulk_pending: ask again), else 1
//     with one result per listed person, told apart by ArbitraryIdentifier (the patient id),
//     each with its expected status, QualificationValidity, name and birth date, and the
//     header's counts matching.
#include <string>
#include <vector>

#include "onshi/receipt/answer_check.hpp"
#include "onshi/receipt/receipt_session.hpp"

namespace onshi::receipt {

struct BulkVerdict : AnswerVerdict {
  std::string reception_number;  // from an OQSmuquc01res
  bool pending = false;          // an OQSmuquc02res saying SegmentOfResult 2
};

BulkVerdict check_bulk_receipt(const std::string& bytes, const std::string& shown, const std::string& identifier,
                               const std::string& facility_code);

BulkVerdict check_bulk_result(const std::string& bytes, const std::string& shown, const std::vector<BulkPerson>& persons,
                              const AnswerExpectation& expect, const std::string& reception_number,
                              const std::string& facility_code);

}  // namespace onshi::receipt
