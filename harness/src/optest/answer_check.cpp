#include "onshi/optest/answer_check.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace onshi::optest {
namespace {

// The card inquiry's journal entry: the one whose consents name the items (the mock journals
// "Item=consented|declined|not_asked" for each, onshi-hil card profile 1).
const flow::OnsJournalEntry* card_inquiry(const flow::RunRecord& record) {
  const flow::OnsJournalEntry* found = nullptr;
  for (const auto& entry : record.ons_journal) {
    if (entry.kind != "request") continue;
    for (const auto& consent : entry.consents) {
      if (consent.starts_with("PharmacistsInfo=")) found = &entry;
    }
  }
  return found;
}

std::string journaled_decision(const flow::OnsJournalEntry& entry, std::string_view item) {
  for (const auto& consent : entry.consents) {
    if (consent.size() > item.size() && consent.starts_with(item) && consent[item.size()] == '=') {
      return consent.substr(item.size() + 1);
    }
  }
  return "nothing";
}

std::string detail_of(const flow::StepResult& step, std::string_view key) {
  for (const auto& [k, v] : step.details) {
    if (k == key) return v;
  }
  return {};
}

}  // namespace

std::vector<AnswerMismatch> compare_answer(const flow::Scenario& scenario, const flow::RunRecord& record) {
  std::vector<AnswerMismatch> out;
  const flow::StepResult* lookup = record.step("qualification_lookup");
  if (lookup == nullptr || !lookup->passed()) return out;  // no answer to compare

  if (!scenario.expect_validity.empty()) {
    const std::string validity = detail_of(*lookup, "qualification_validity");
    if (!validity.starts_with(scenario.expect_validity)) {
      out.push_back({"QualificationValidity", "the scenario expects " + scenario.expect_validity + "; the answer carried " +
                                                  (validity.empty() ? std::string("none") : validity)});
    }
  }
  if (record.ons_journal.empty()) return out;
  const flow::OnsJournalEntry* entry = card_inquiry(record);
  if (entry == nullptr) {
    out.push_back({"ONS journal", "the qualification lookup passed but the ONS journaled no card inquiry"});
    return out;
  }
  if (entry->patient_id != scenario.patient) {
    out.push_back({"patient", "the scenario's patient is " + scenario.patient + "; the ONS answered for " +
                                  (entry->patient_id.empty() ? std::string("nobody") : entry->patient_id)});
  }
  if (!record.facility.empty() && entry->facility_code != record.facility) {
    out.push_back({"MedicalInstitutionCode", "the rig's facility is " + record.facility + "; the ONS journaled " +
                                                 entry->facility_code});
  }
  const flow::ConsentChoices& c = scenario.consent;
  const std::array<std::pair<std::string_view, bool>, 5> items{{
      {"PharmacistsInfo", c.medication},
      {"SpecificHealthCheckupsInfo", c.checkups},
      {"DiagnosisInfo", c.diagnosis},
      {"OperationInfo", c.operation},
      {"LimitApplicationCertificateRelated", c.limit_certificate},
  }};
  for (const auto& [item, consented] : items) {
    const std::string expected = consented ? "consented" : "declined";
    const std::string got = journaled_decision(*entry, item);
    if (got != expected) {
      out.push_back({"consent " + std::string(item), std::string("the scenario ") +
                                                         (consented ? "consented" : "declined") +
                                                         "; the ONS journal recorded " + got});
    }
  }
  return out;
}

}  // namespace onshi::optest
