#pragma once
// Verdicts that cannot lie (docs/optest.md): a reception that "passed" is compared with what
// was asked. The consent flags per item as the ONS journal recorded them against what the
// scenario consented to, the patient the ONS answered for, the facility it was asked by, and
// the QualificationValidity the result carried. Each difference names the field.
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/flow/scenario.hpp"

namespace onshi::optest {

struct AnswerMismatch {
  std::string field;  // "consent PharmacistsInfo", "patient", "QualificationValidity", ...
  std::string what;   // "the scenario consented; the ONS journal recorded not_asked"
};

// Nothing when the answer matches the request and the scenario. A run whose ONS keeps no
// journal the harness can read (a remote endpoint) is compared on the result alone.
std::vector<AnswerMismatch> compare_answer(const flow::Scenario& scenario, const flow::RunRecord& record);

}  // namespace onshi::optest
