// Verdicts that cannot lie: a reception whose steps all passed still fails when the ONS
// journal shows a consent, the patient or the validity other than the scenario's.
#include <gtest/gtest.h>

#include "onshi/optest/answer_check.hpp"

namespace onshi::optest {
namespace {

flow::Scenario medication_only() {
  flow::Scenario s;
  s.name = "s";
  s.patient = "P001";
  s.consent.medication = true;
  s.expect_validity = "1";
  return s;
}

flow::RunRecord answered(std::vector<std::string> consents, std::string patient = "P001", std::string validity = "1 有効") {
  flow::RunRecord r;
  r.facility = "1312345678";
  flow::StepResult lookup;
  lookup.name = "qualification_lookup";
  lookup.status = flow::StepStatus::passed;
  lookup.details = {{"qualification_validity", std::move(validity)}};
  r.steps.push_back(lookup);
  flow::OnsJournalEntry e;
  e.kind = "request";
  e.target = "/onshi/v1/qualification/card";
  e.status = 200;
  e.facility_code = "1312345678";
  e.patient_id = std::move(patient);
  e.consents = std::move(consents);
  r.ons_journal.push_back(e);
  return r;
}

const std::vector<std::string> kAsAsked{"PharmacistsInfo=consented", "SpecificHealthCheckupsInfo=declined",
                                        "DiagnosisInfo=declined", "OperationInfo=declined",
                                        "LimitApplicationCertificateRelated=declined"};

TEST(AnswerCheck, MatchingAnswerHasNoMismatch) {
  EXPECT_TRUE(compare_answer(medication_only(), answered(kAsAsked)).empty());
}

TEST(AnswerCheck, AConsentThatNeverReachedTheOnsNamesTheItem) {
  std::vector<std::string> consents = kAsAsked;
  consents[0] = "PharmacistsInfo=not_asked";
  const auto m = compare_answer(medication_only(), answered(consents));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].field, "consent PharmacistsInfo");
  EXPECT_NE(m[0].what.find("not_asked"), std::string::npos) << m[0].what;
}

TEST(AnswerCheck, WrongPatientAndWrongValidityAreNamed) {
  const auto m = compare_answer(medication_only(), answered(kAsAsked, "P002", "3 資格喪失"));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].field, "QualificationValidity");
  EXPECT_EQ(m[1].field, "patient");
}

TEST(AnswerCheck, AnItemMissingFromTheJournalIsAMismatch) {
  std::vector<std::string> consents = kAsAsked;
  consents.pop_back();
  const auto m = compare_answer(medication_only(), answered(consents));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].field, "consent LimitApplicationCertificateRelated");
}

TEST(AnswerCheck, NoLookupNoComparison) {
  flow::RunRecord r = answered({"PharmacistsInfo=not_asked"});
  r.steps[0].status = flow::StepStatus::failed;
  EXPECT_TRUE(compare_answer(medication_only(), r).empty());
}

}  // namespace
}  // namespace onshi::optest
