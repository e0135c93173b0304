// onshi-hil optest: the operational test (docs/optest.md). A checklist of checks run as one
// executor plan on a rig; the console table always, and with --evidence a signed bundle:
// record.json, junit.xml, report.html, report.md, the receptions with the ONS journal, a rig
// fingerprint, manifest.json and its detached CMS signature.
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/optest/checklist.hpp"
#include "onshi/optest/checklist_plan.hpp"
#include "onshi/optest/evidence_bundle.hpp"
#include "onshi/optest/evidence_manifest.hpp"
#include "onshi/optest/live_line.hpp"
#include "onshi/optest/operator_prompt.hpp"
#include "onshi/pki/vendor_credential.hpp"
#include "onshi/report/console_reporter.hpp"
#include "onshi/report/html_reporter.hpp"
#include "onshi/report/json_reporter.hpp"
#include "onshi/report/junit_reporter.hpp"
#include "onshi/report/markdown_reporter.hpp"
#include "onshi/report/run_record_json.hpp"
// The JSON Lines reporter (docs/records.md) lands separately; until it has, no record.jsonl.
#if __has_include("onshi/report/jsonl_reporter.hpp")
#include "onshi/report/jsonl_reporter.hpp"
#define ONSHI_OPTEST_JSONL 1
#endif
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::cli {
namespace {

namespace fs = std::filesystem;

struct OptestOptions {
  std::string rig_file;
  std::string checklist_file;
  std::string answers_file;
  std::string evidence_dir;
  std::string sign_key;
  std::string sign_cert;
  std::string pki_dir;
  std::string output_dir;
};

std::string os_text() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

std::string fingerprint_of(const fs::path& cert_file) {
  if (cert_file.empty() || !fs::exists(cert_file)) return {};
  return crypto::Certificate::load_pem_file(cert_file).sha256_fingerprint();
}

// The signer: --sign-key/--sign-cert, or the test PKI's vendor credential on the rig's PKI.
pki::Credential signer_of(const OptestOptions& options, const rig::WiredRig& rig, std::string& ca_hint) {
  if (!options.sign_key.empty() || !options.sign_cert.empty()) {
    if (options.sign_key.empty() || options.sign_cert.empty()) {
      throw Error(ErrorCode::invalid_argument, "--sign-key and --sign-cert go together", "onshi-hil optest");
    }
    pki::Credential c{crypto::Certificate::load_pem_file(options.sign_cert),
                      crypto::PrivateKey::load_pem_file(options.sign_key)};
    if (!c.key_matches()) throw Error(ErrorCode::config, "the key is not the certificate's", options.sign_key);
    ca_hint = "your vendor CA";
    return c;
  }
  const pki::VendorCredential vendor = pki::ensure_vendor_credential(rig.pki_dir());
  ca_hint = vendor.ca_cert_file.string();
  return vendor.signer;
}

nlohmann::ordered_json rig_fingerprint(const rig::WiredRig& rig, const std::string& harness_version,
                                       const pki::Credential& signer) {
  const rig::RigConfig& config = rig.config();
  const ons::OnsClientOptions client = rig.ons_client_options();
  nlohmann::ordered_json j;
  j["schema"] = "onshi-hil/rig-fingerprint/1";
  j["rig"] = config.name;
  j["rig_file"] = config.file.string();
  j["rig_file_sha256"] = config.file.empty() ? std::string() : optest::sha256_file(config.file);
  j["harness_version"] = harness_version;
  j["os"] = os_text();
  j["links"] = {{"card", config.card.kind}, {"reader", config.reader.kind}, {"ons", config.ons.kind},
                {"output", config.output.kind}};
  j["facility"] = config.facility_code;
  j["ons_endpoint"] = rig.ons_endpoint();
  j["ons_wire"] = rig.ons_wire();
  j["certificates"] = {{"terminal_sha256", fingerprint_of(client.http.tls.cert_file)},
                       {"ons_ca_sha256", fingerprint_of(client.http.tls.ca_file)},
                       {"evidence_signer_sha256", signer.certificate.sha256_fingerprint()},
                       {"evidence_signer_subject", signer.certificate.subject()}};
  return j;
}

// Every reception's ONS journal entries, named by the check that caused them.
std::string journal_json(const std::vector<flow::RunRecord>& receptions) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& record : receptions) {
    const nlohmann::json j = nlohmann::json::parse(report::to_json(record, -1));
    out.push_back({{"reception", record.name}, {"entries", j.at("ons_journal")}});
  }
  return out.dump(2) + "\n";
}

}  // namespace

Command add_optest_command(CLI::App& app) {
  auto options = std::make_shared<OptestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "optest", "The operational test (運用テスト): run a checklist of checks on a rig and print a table.\n"
                "Exit 0 only when every required check passed; 1 when a check failed; 3 when the rig is broken.");
  cmd->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml)");
  cmd->add_option("--checklist", options->checklist_file, "checklist file (default: fixtures/optest/checklist.toml)");
  cmd->add_option("--answers", options->answers_file, "operator answers for unattended runs (docs/optest.md)");
  cmd->add_option("--evidence", options->evidence_dir, "write the signed evidence bundle into this folder");
  cmd->add_option("--sign-key", options->sign_key, "the vendor's signing key (default: the test PKI's vendor key)");
  cmd->add_option("--sign-cert", options->sign_cert, "the vendor's signing certificate (with --sign-key)");
  cmd->add_option("--pki", options->pki_dir, "test-PKI directory (overrides the rig's)");
  cmd->add_option("--output", options->output_dir, "result folder root (overrides the rig's)");
  return [options]() {
    const std::string version = ONSHI_VERSION;
    const fs::path rig_file = options->rig_file.empty() ? rig::default_rig_file() : fs::path(options->rig_file);
    const fs::path checklist_file =
        options->checklist_file.empty() ? optest::default_checklist_file() : fs::path(options->checklist_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    const optest::Checklist checklist = optest::load_checklist(checklist_file);
    // Prompts: the answers file first, the harness itself on an emulated rig, then a person when
    // stdin is a terminal; no stdin means unattended (docs/optest.md, "Operator prompts").
    optest::OperatorConsole::Options console_options;
    console_options.input_fd = STDIN_FILENO;
    console_options.out = &std::cout;
    console_options.emulated_rig = optest::is_emulated(config);
    if (!options->answers_file.empty()) console_options.answers = optest::load_operator_answers(options->answers_file);
    std::optional<optest::EvidenceWriter> evidence;
    if (!options->evidence_dir.empty()) {
      try {
        evidence.emplace(options->evidence_dir, version);
        std::error_code ignored;  // an earlier run's SUT logs are not this run's
        std::filesystem::remove_all(evidence->path_of("sut"), ignored);
      } catch (const Error& e) {
        std::cerr << "onshi-hil optest: the rig is broken: " << e.what() << "\n";
        return exit_environment;
      }
    }
    rig::WireOverrides overrides;
    if (!options->pki_dir.empty()) overrides.pki_dir = options->pki_dir;
    if (!options->output_dir.empty()) overrides.output_dir = options->output_dir;
    const auto wired = rig::WiredRig::wire(config, overrides);
    std::string ca_hint;
    std::optional<pki::Credential> signer;
    if (evidence) signer = signer_of(*options, *wired, ca_hint);

    // On a terminal, a live line (current check, elapsed, n/m) that steps aside for prompts.
    optest::LiveLine live(std::cout, ::isatty(STDOUT_FILENO) == 1);
    console_options.on_prompt = [&live](bool showing) { live.pause(showing); };
    const optest::OperatorConsole console(console_options);
    optest::OptestSession session;
    session.console = &console;
    run::Plan plan = optest::make_checklist_plan(checklist, *wired, session);
    run::set_attribute(plan.attributes, "harness_version", "onshi-hil " + version);
    run::set_attribute(plan.attributes, "os", os_text());
    const ons::OnsClientOptions client = wired->ons_client_options();
    run::set_attribute(plan.attributes, "terminal_certificate_sha256", fingerprint_of(client.http.tls.cert_file));
    run::set_attribute(plan.attributes, "ons_ca_sha256", fingerprint_of(client.http.tls.ca_file));
    if (signer) run::set_attribute(plan.attributes, "evidence_signer_sha256", signer->certificate.sha256_fingerprint());

    std::cout << "onshi-hil optest: checklist " << checklist.name << " (" << checklist_file.string() << "), rig "
              << config.name << " (" << rig_file.string() << "), ONS " << wired->ons_endpoint() << "\n";
    report::ConsoleReporter table(std::cout);
    run::EventFanout events;
    events.add(live);  // before the table: the line is erased before each row
    events.add(table);
    std::optional<report::JsonReporter> json;
    std::optional<report::JUnitReporter> junit;
    std::optional<report::HtmlReporter> html;
    std::optional<report::MarkdownReporter> markdown;
    const std::string title = "onshi-hil operational test: " + checklist.name + " on rig " + config.name;
#ifdef ONSHI_OPTEST_JSONL
    // record.jsonl: each check's line appended as it ends, so a killed run keeps what finished.
    std::optional<report::JsonLinesReporter> jsonl;
    if (evidence) {
      std::filesystem::remove(evidence->path_of("record.jsonl"));  // this run's lines only
      events.add(jsonl.emplace(evidence->path_of("record.jsonl")));
    }
#endif
    if (evidence) {
      events.add(json.emplace(evidence->path_of("record.json")));
      events.add(junit.emplace(evidence->path_of("junit.xml")));
      events.add(html.emplace(evidence->path_of("report.html"), title));
      events.add(markdown.emplace(evidence->path_of("report.md"), title));
    }
    const run::RunResult result = run::Executor().run(plan, &events);
    const optest::OptestOutcome outcome = optest::outcome_of(result, checklist);

    if (evidence) {
      std::vector<flow::OnsJournalEntry> journal;
      for (const auto& r : session.receptions) journal.insert(journal.end(), r.ons_journal.begin(), r.ons_journal.end());
      json->add_ons_journal(result.name, journal);
      json->finish();
      junit->finish();
      html->add_receptions(session.receptions);
      html->finish();
      markdown->finish();
      for (const char* file : {"record.json", "junit.xml", "report.html", "report.md"}) evidence->add(file);
#ifdef ONSHI_OPTEST_JSONL
      jsonl->finish();
      evidence->add("record.jsonl");
#endif
      evidence->write("receptions.json", report::to_json(session.receptions) + "\n");
      evidence->write("ons-journal.json", journal_json(session.receptions));
      evidence->write("rig-fingerprint.json", rig_fingerprint(*wired, version, *signer).dump(2) + "\n");
      // The launched SUT's stdout and stderr, as the launcher captured and redacted them.
      for (const optest::SutLog& log : session.sut_logs) {
        evidence->write("sut/" + log.check + ".stdout.log", log.stdout_text);
        evidence->write("sut/" + log.check + ".stderr.log", log.stderr_text);
      }
      evidence->seal(*signer);
      std::cout << "evidence: " << evidence->dir().string() << " (manifest.json signed by "
                << signer->certificate.subject() << "; check with onshi-hil evidence verify " << evidence->dir().string()
                << " --ca " << ca_hint << ")\n";
    }
    // The table's total counts a skip as not passed; the operational test's verdict does not
    // when the check is not required, so say which it is.
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const auto& phase : result.phases) ++counts[static_cast<int>(phase.verdict)];
    std::cout << "operational test: "
              << (outcome == optest::OptestOutcome::passed   ? "PASSED"
                  : outcome == optest::OptestOutcome::failed ? "FAILED"
                                                             : "ERROR (the rig is broken)")
              << ": " << counts[0] << " passed, " << counts[1] << " failed, " << counts[3] << " error, " << counts[2]
              << " skipped\n";
    switch (outcome) {
      case optest::OptestOutcome::passed: return exit_ok;
      case optest::OptestOutcome::failed: return exit_failed;
      case optest::OptestOutcome::broken: return exit_environment;
    }
    return exit_environment;
  };
}

}  // namespace onshi::cli
