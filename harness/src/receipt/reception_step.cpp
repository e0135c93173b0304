#include "onshi/receipt/reception_step.hpp"

#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/receipt/answer_check.hpp"
#include "onshi/terminal/folder_watcher.hpp"
#include "onshi/terminal/touch_panel.hpp"

namespace onshi::receipt {
namespace {

constexpr const char* kTerminalPlug = "terminal";
constexpr const char* kReaderPlug = "reader_at_terminal";
constexpr std::string_view kFacePrefix = "OQSsiquc01res_face_";

bool is_face_file(const std::string& name) {
  return name.starts_with(kFacePrefix) && name.ends_with(".xml");
}

std::set<std::string> face_files_now(const std::filesystem::path& face) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(face, ec)) names.insert(entry.path().filename().string());
  return names;
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw run::PhaseFailure{"the face/ file vanished before it could be read: " + file.string()};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One consent item: what the patient chose at the panel against what the face/ file says.
void match_consent(std::vector<std::string>& problems, const std::string& shown, const char* item, const char* element,
                   bool chosen, const std::optional<ons::ConsentRecord>& record) {
  const bool consented = record && record->flag == ons::ConsentFlag::consented;
  if (consented == chosen) return;
  problems.push_back(shown + ": consent " + item + " (" + element + ") says " +
                     (record ? (consented ? "1 (consented)" : "0 (not consented)") : std::string("nothing")) +
                     ", the patient " + (chosen ? "consented" : "did not consent") + " at the panel");
}

// Which identity path the card saw, for the scenario's.
std::optional<std::string> identity_mismatch(const flow::Scenario& scenario, const CardEvidence& evidence) {
  const std::string seen = evidence.identity_path();
  const std::string& method = scenario.expect_identity_method;
  const bool pin_expected = method == "pin" || method == "pin-after-face-miss" ||
                            (method.empty() && scenario.identity.path == flow::IdentityPath::pin);
  const bool pin_less_expected = method == "face" || method == "visual";
  if (pin_expected && seen != "pin") {
    return "the card saw no PIN verified (" + evidence.describe() + "): the terminal did not take the PIN path the patient chose";
  }
  if (pin_less_expected && seen != "terminal-authentication") {
    return "the card saw " + (seen == "pin" ? std::string("a PIN verified") : std::string("no 特定機関認証")) + " (" +
           evidence.describe() + "): the terminal did not take the " + method + " path the patient chose";
  }
  if (evidence.signed_nonce == 0) {
    return "the card signed nothing (" + evidence.describe() + "): the terminal did not prove the card with its key";
  }
  return std::nullopt;
}

void drive(run::PhaseContext& context, const SessionReception& reception, const population::Patient& patient,
           std::chrono::milliseconds deadline) {
  TerminalUnderTest& terminal = context.plug<TerminalUnderTest>(kTerminalPlug);
  ReaderAtTerminal& reader = context.plug<ReaderAtTerminal>(kReaderPlug);
  if (terminal.ended) {
    if (auto ended = terminal.ended()) {
      throw run::PhaseFailure{"the terminal under test has ended (" + *ended + "): nobody reads the card"};
    }
  }
  const std::filesystem::path face = terminal.root / "face";
  std::error_code ec;
  std::filesystem::create_directories(face, ec);
  if (!std::filesystem::is_directory(face)) throw run::PhaseFailure{"the terminal's face/ folder does not exist: " + face.string()};

  if (!reader.panel_file.empty()) {
    terminal::PanelInput input;
    input.scenario = reception.scenario.name;
    input.pins = reception.pins;
    try {
      write_file_atomically(reader.panel_file, terminal::panel_file_text(input));
    } catch (const Error& e) {
      throw run::PhaseFailure{"the panel file " + reader.panel_file.string() + " was not written: " + e.message()};
    }
    context.detail("panel", reader.panel_file.string());
  }

  const std::set<std::string> before = face_files_now(face);
  terminal::FolderWatcher watcher(face, terminal.settle, context.clock(), [&before](const std::string& name) {
    return is_face_file(name) && !before.contains(name);
  });
  const std::shared_ptr<ObservedCard> card = reader.place(patient);
  const MonotonicTime placed = context.clock().monotonic_now();
  context.detail("patient", patient.id);
  struct TakeBack {
    ReaderAtTerminal& reader;
    ~TakeBack() {
      try {
        reader.take();
      } catch (...) {
      }
    }
  } take_back{reader};

  std::filesystem::path file;
  for (;;) {
    const auto ready = watcher.ready();
    if (!ready.empty()) {
      file = ready.front();
      break;
    }
    const auto waited = context.clock().monotonic_now() - placed;
    if (terminal.ended) {
      if (auto ended = terminal.ended()) {
        throw run::PhaseFailure{"the terminal under test ended (" + *ended + ") before a face/ file came for patient " +
                                patient.id + " (the card saw: " + card->evidence().describe() + ")"};
      }
    }
    if (waited >= deadline) {
      throw run::PhaseFailure{"no face/ file within the deadline of " + std::to_string(deadline.count()) +
                              " ms of patient " + patient.id + "'s card placed (scenario " + reception.scenario.name +
                              "; the card saw: " + card->evidence().describe() + ")"};
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - waited);
    watcher.wait(std::min(left + std::chrono::milliseconds(1), std::chrono::milliseconds(100)));
  }
  const double face_ms = std::chrono::duration<double, std::milli>(context.clock().monotonic_now() - placed).count();
  context.measure("face_ms", face_ms, "ms", run::Limits::at_most(static_cast<double>(deadline.count())));
  const std::string shown = "face/" + file.filename().string();
  context.detail("face_file", shown);

  const std::string bytes = read_bytes(file);
  AnswerExpectation expect;
  expect.processing_result_status = "1";
  expect.qualification_validity = reception.scenario.expect_validity.empty()
                                      ? (patient.insurance.on_record ? patient.insurance.validity : "4")
                                      : reception.scenario.expect_validity;
  if (patient.insurance.on_record) {
    expect.name = patient.name;
    expect.birthdate = patient.birthdate;
  }
  expect.echo_identifier = false;  // a face/ file answers no request
  AnswerVerdict verdict = check_answer(bytes, shown, expect, "", terminal.facility_code);
  context.measure("face_bytes", static_cast<double>(verdict.bytes), "B");
  context.detail("face_encoding", verdict.encoding == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8");
  if (verdict.passed()) {
    // check_answer decoded it; decode again for what it does not look at: the consents.
    const ons::QualificationResult result = ons::decode_result(ons::to_canonical(bytes, ons::WireSyntax::xml).xml);
    if (result.body.results.empty()) {
      verdict.problems.push_back(shown + ": ResultList holds no qualification, so no consent can be matched");
    } else {
      const ons::QualificationRecord& r = result.body.results.front();
      const flow::ConsentChoices& c = reception.scenario.consent;
      match_consent(verdict.problems, shown, "medication", "PharmacistsInfoConsent", c.medication, r.pharmacists_info_consent);
      match_consent(verdict.problems, shown, "checkups", "SpecificHealthCheckupsInfoConsent", c.checkups,
                    r.specific_health_checkups_info_consent);
      match_consent(verdict.problems, shown, "diagnosis", "DiagnosisInfoConsent", c.diagnosis, r.diagnosis_info_consent);
      match_consent(verdict.problems, shown, "operation", "OperationInfoConsent", c.operation, r.operation_info_consent);
      match_consent(verdict.problems, shown, "limit_certificate", "LimitApplicationCertificateRelatedConsent",
                    c.limit_certificate, r.limit_application_certificate_consent);
    }
  }
  const CardEvidence evidence = card->evidence();
  context.detail("card_identity_path", evidence.identity_path());
  if (auto mismatch = identity_mismatch(reception.scenario, evidence)) verdict.problems.push_back(shown + ": " + *mismatch);
  for (std::size_t i = 0; i < verdict.problems.size(); ++i) context.detail("problem." + std::to_string(i + 1), verdict.problems[i]);

  // Taken up as a receipt computer does: out of face/, into its own archive.
  const std::filesystem::path archive = terminal.archive.empty() ? terminal.root / "receipt-archive" : terminal.archive;
  std::filesystem::create_directories(archive, ec);
  std::filesystem::rename(file, archive / file.filename(), ec);
  if (ec) context.detail("archive_error", shown + " could not be moved to " + archive.string() + ": " + ec.message());

  if (!verdict.passed()) throw run::PhaseFailure{verdict.summary()};
}

}  // namespace

void add_reception_phases(run::Plan& plan, const ReceptionSession& session, const population::Population& population,
                          TerminalUnderTest& terminal, ReaderAtTerminal& reader) {
  plan.plugs.bind(kTerminalPlug, terminal);
  plan.plugs.bind(kReaderPlug, reader);
  for (const SessionReception& reception : session.receptions) {
    const population::Patient& patient = population.patient(reception.scenario.patient);
    run::Phase phase;
    phase.name = "reception." + reception.name;
    phase.plugs = {kTerminalPlug, kReaderPlug};
    phase.on_failure = run::OnFailure::continue_run;
    phase.body = [&reception, &patient, deadline = session.face_deadline](run::PhaseContext& context) {
      drive(context, reception, patient, deadline);
    };
    plan.phases.push_back(std::move(phase));
  }
}

}  // namespace onshi::receipt
