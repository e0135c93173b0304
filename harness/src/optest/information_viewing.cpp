#include "onshi/optest/information_viewing.hpp"

#include <chrono>

#include "onshi/core/clock.hpp"
#include "onshi/core/error.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/pc_credential.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"
#include "onshi/population/search_inquiry_for.hpp"

namespace onshi::optest {
namespace {

using run::PhaseFailure;

struct PcClient {
  ons::OnsClientOptions options;
  std::string fingerprint;  // SHA-256 of the PC's certificate, as the journal names it
};

PcClient client_for(const rig::WiredRig& rig, const pki::TestPki& pki, const ViewingSetup& setup) {
  PcClient out;
  out.options = rig.ons_client_options();
  const std::string& code = rig.config().facility_code;
  if (setup.pc.empty()) {
    out.fingerprint = pki.terminal(code).certificate.sha256_fingerprint();
    return out;  // the reception terminal: the facility's own certificate, as the rig configured it
  }
  const pki::PcCredential pc = pki::ensure_pc_credential(rig.pki_dir(), pki, code, setup.pc);
  out.options.http.tls.cert_file = pc.cert_file;
  out.options.http.tls.key_file = pc.key_file;
  out.fingerprint = pc.credential.certificate.sha256_fingerprint();
  return out;
}

// The YZK/TKK request a viewing PC sends for the patient (docs/domain/ons-messages.md).
ons::InformationRequest request_for(const population::Patient& patient, ons::InformationKind kind,
                                    const std::string& facility_code) {
  const WallTime now = std::chrono::system_clock::now();
  const std::string today = format_jst_date(now);
  const ons::QualificationSearchInquiry card = population::search_inquiry_for(patient, facility_code, today);
  ons::InformationRequest q;
  q.kind = kind;
  q.medical_institution_code = facility_code;
  q.insurer_number = card.insurer_number;
  q.insurance_card_symbol = card.insured_card_symbol;
  q.insured_person_identification_number = card.insured_identification_number;
  q.branch_number = card.insured_branch_number;
  q.start_date = std::to_string(std::stoi(today.substr(0, 4)) - 3) + "0101";
  if (kind == ons::InformationKind::medication) q.end_date = today;
  return q;
}

// One reception at the reader with the patient's choice for medication and checkups.
flow::RunRecord reception(rig::WiredRig& rig, const std::string& scenario, bool consent, std::vector<flow::RunRecord>& out) {
  flow::Scenario s = rig.scenario(scenario);
  s.consent.medication = consent;
  s.consent.checkups = consent;
  flow::RunRecord record = rig.run(s);
  record.name = std::string("information viewing, ") + (consent ? "consented" : "declined") + " (" + scenario + ")";
  out.push_back(record);
  if (!record.met_expectation()) {
    std::string why;
    for (const flow::StepResult& step : record.steps) {
      if (!step.passed() && step.status != flow::StepStatus::skipped) {
        why = ": step " + step.name + ": " + step.reason;
        break;
      }
    }
    throw PhaseFailure{"the reception where the patient " + std::string(consent ? "consents" : "declines") +
                       " did not end as scenario " + scenario + " expects" + why};
  }
  return record;
}

// Asks both items from one PC; returns how many were answered, and checks in the journal that
// every request the ONS saw since `mark` came with this PC's certificate.
std::size_t ask_both(run::PhaseContext& ctx, rig::WiredRig& rig, const ViewingSetup& setup, const PcClient& pc,
                     const population::Patient& patient, bool expect_answer) {
  const std::uint64_t mark = rig.ons_journal_mark();
  ons::OnsClient client(pc.options);
  std::size_t answered = 0;
  std::string refusals;
  for (const ons::InformationKind kind : {ons::InformationKind::medication, ons::InformationKind::checkup}) {
    const std::string item(ons::to_string(kind));
    const MonotonicTime start = ctx.clock().monotonic_now();
    try {
      const ons::InformationResult result = client.inquire(request_for(patient, kind, rig.config().facility_code));
      ctx.measure(setup.name + "." + item + "_ms",
                  std::chrono::duration<double, std::milli>(ctx.clock().monotonic_now() - start).count(), "ms");
      if (result.processing_result_status == ons::ProcessingResultStatus::normal_end) ++answered;
      if (!expect_answer) {
        throw PhaseFailure{setup.description + " (PC " + (setup.pc.empty() ? "reception" : setup.pc) + ") got the " +
                           item + " information although the patient had declined at the reader"};
      }
    } catch (const ons::OnsStatusError& e) {
      refusals += (refusals.empty() ? "" : "; ") + item + ": " + e.what();
      if (expect_answer) {
        throw PhaseFailure{setup.description + " was refused the " + item +
                           " information after the patient consented at the reader: " + e.what()};
      }
    }
  }
  if (!refusals.empty()) ctx.detail(setup.name + ".refused", refusals);
  // Which PC asked, as the ONS side saw it.
  const std::vector<flow::OnsJournalEntry> seen = rig.ons_journal_after(mark);
  std::size_t requests = 0;
  for (const flow::OnsJournalEntry& entry : seen) {
    if (entry.kind != "request") continue;
    ++requests;
    if (entry.client_fingerprint != pc.fingerprint) {
      throw PhaseFailure{"the ONS journal says " + setup.description + "'s request came with the certificate SHA-256 " +
                         entry.client_fingerprint + ", not its own PC's (" + pc.fingerprint + ")"};
    }
    if (!expect_answer && entry.error_code != "HIL0430") {
      throw PhaseFailure{"the ONS journal shows " + setup.description + "'s request refused with '" + entry.error_code +
                         "', not for want of consent (HIL0430)"};
    }
  }
  if (requests != 2) {
    throw PhaseFailure{"the ONS journal holds " + std::to_string(requests) + " requests from " + setup.description +
                       " where 2 were sent (medication, checkups)"};
  }
  ctx.detail(setup.name + ".journal_client_sha256", pc.fingerprint);
  return answered;
}

}  // namespace

const std::vector<ViewingSetup>& viewing_setups() {
  static const std::vector<ViewingSetup> setups{
      {"ehr", "ehr", "the EHR / receipt computer"},
      {"viewing_terminal", "viewer", "the separate viewing terminal (閲覧用端末)"},
      {"reception_terminal", "", "the reception terminal itself"},
  };
  return setups;
}

std::string why_viewing_cannot_run(const rig::RigConfig& config) {
  if (config.ons.kind == "embedded-mock") return {};
  return "the per-PC certificates are the test PKI's and which PC asked is read from the embedded mock's journal; "
         "[ons] kind = \"" + config.ons.kind + "\" keeps none the harness can read";
}

void run_information_viewing(run::PhaseContext& ctx, rig::WiredRig& rig, const std::string& scenario,
                             std::vector<flow::RunRecord>& receptions) {
  const pki::TestPki pki = pki::load_test_pki(rig.pki_dir());
  const population::Population population = population::load_population();
  const flow::RunRecord declined = reception(rig, scenario, false, receptions);
  const population::Patient& patient = population.patient(declined.patient);
  ctx.detail("patient", patient.id);
  std::vector<PcClient> clients;
  for (const ViewingSetup& setup : viewing_setups()) {
    clients.push_back(client_for(rig, pki, setup));
    ctx.detail(setup.name + ".pc_certificate_sha256", clients.back().fingerprint);
  }
  // Before consent: every set-up refused.
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::size_t answered = ask_both(ctx, rig, viewing_setups()[i], clients[i], patient, false);
    ctx.measure(viewing_setups()[i].name + ".answered_before_consent", static_cast<double>(answered), "",
                run::Limits::at_most(0));
  }
  reception(rig, scenario, true, receptions);
  // After consent at the reader: every set-up answered, each through its own certificate.
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::size_t answered = ask_both(ctx, rig, viewing_setups()[i], clients[i], patient, true);
    ctx.measure(viewing_setups()[i].name + ".answered_after_consent", static_cast<double>(answered), "",
                run::Limits::at_least(2));
  }
  // Three PCs, three certificates: the journal told them apart.
  if (clients[0].fingerprint == clients[1].fingerprint || clients[1].fingerprint == clients[2].fingerprint ||
      clients[0].fingerprint == clients[2].fingerprint) {
    throw PhaseFailure{"two of the set-ups share a certificate; each PC must have its own"};
  }
}

}  // namespace onshi::optest
