#include "onshi/optest/checklist_plan.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "onshi/core/host_port.hpp"
#include "onshi/doctor/doctor.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/optest/answer_check.hpp"
#include "onshi/optest/connectivity.hpp"
#include "onshi/optest/hot_plug.hpp"
#include "onshi/optest/information_viewing.hpp"
#include "onshi/optest/load_smoke.hpp"
#include "onshi/optest/rig_broken.hpp"
#include "onshi/receipt_computer_check/receipt_computer_check.hpp"

namespace onshi::optest {
namespace {

using run::Limits;
using run::PhaseContext;
using run::PhaseFailure;

// Plugs nobody binds yet: the skip reason the executor gives names them.
constexpr const char* kReceiptComputerPlug =
    "receipt-computer SUT link (this rig has no [sut]; rigs/sut-receipt-computer.toml has one)";
// The viewing PCs' plug names why this rig cannot run them (onshi/optest/information_viewing.hpp).
std::string viewing_plug(const rig::RigConfig& config) {
  const std::string why = why_viewing_cannot_run(config);
  return "information-viewing terminals" + (why.empty() ? std::string() : " (" + why + ")");
}
// Who pulls the reader: a person on a physical rig, the harness on an emulated one it can unplug.
std::string hot_plug_plug(const rig::RigConfig& config) {
  const std::string why = is_emulated(config) ? why_harness_cannot_unplug(config) : std::string();
  return "hot-plug actor" + (why.empty() ? std::string() : " (" + why + ")");
}
bool hot_plug_possible(const rig::RigConfig& config) {
  return !is_emulated(config) || why_harness_cannot_unplug(config).empty();
}
// The load generator's plug names why this rig cannot be driven, so its skip reason says so.
std::string load_plug(const rig::RigConfig& config) {
  const std::string why = why_load_cannot_drive(config);
  return "load generator" + (why.empty() ? std::string() : " (" + why + ")");
}

double ms_since(const PhaseContext& ctx, MonotonicTime start) {
  return std::chrono::duration<double, std::milli>(ctx.clock().monotonic_now() - start).count();
}

std::optional<Limits> limit_of(double limit_ms) {
  if (limit_ms <= 0) return std::nullopt;
  return Limits::at_most(limit_ms);
}

std::chrono::milliseconds connect_timeout(const CheckSpec& spec, const ons::OnsClientOptions& options) {
  // Bounded by the client's own timeout; a limit only judges the time it took.
  (void)spec;
  return options.http.timeout;
}

// A stalled answer names the rig setting that bounds the wait, so the engineer knows whether
// the ONS is down or the bound too tight for the line.
std::string naming_the_bound(std::string reason, const rig::RigConfig& config) {
  if (reason.find("timed out") == std::string::npos && reason.find("no answer within") == std::string::npos) {
    return reason;
  }
  return reason + " (each wait on the ONS is bounded by [ons] timeout_ms = " +
         std::to_string(config.ons_client.timeout_ms) + " ms" +
         (config.file.empty() ? std::string() : " in " + config.file.string()) + ")";
}

// Runs a check's body so that a broken rig ends it `error` wherever the fault shows: a
// PhaseError as it is, an onshi::Error whose code is a rig fault turned into one, each with
// the bound named when it was a wait that ran out.
void guarded(PhaseContext& ctx, const std::function<void(PhaseContext&)>& body) {
  const rig::RigConfig& config = ctx.plug<rig::WiredRig>("rig").config();
  try {
    body(ctx);
  } catch (const run::PhaseError& e) {
    throw run::PhaseError(naming_the_bound(e.what(), config));
  } catch (const Error& e) {
    if (!run::is_rig_fault(e.code())) throw;
    throw run::PhaseError(naming_the_bound(run::rig_broken_reason(e.what()), config));
  }
}

// A reception step's reason without the executor's "the rig is broken: " (RigBroken adds it once).
std::string without_rig_broken_prefix(const std::string& reason) {
  const std::string prefix = run::rig_broken_reason("");
  return reason.starts_with(prefix) ? reason.substr(prefix.size()) : reason;
}

// The doctor's findings (docs/doctor.md) as one check: each finding's measurements under its
// name, its severity and words as a detail; a failed finding fails the check with its fix.
void check_preflight(PhaseContext& ctx) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  doctor::DoctorOptions options;
  options.pki_dir = rig.pki_dir();
  options.output_dir = rig.output_root();
  const std::vector<doctor::Finding> findings = doctor::examine_rig(rig.config(), options);
  std::string failed;
  for (const doctor::Finding& f : findings) {
    ctx.detail(f.check, std::string(doctor::to_string(f.severity)) + ": " + f.what);
    for (const run::Measurement& m : f.measurements) ctx.measure(f.check + "." + m.name, m.value, m.unit, m.limits);
    if (f.severity == doctor::Finding::Severity::failed) {
      failed += (failed.empty() ? "" : "; ") + f.check + ": " + f.what + (f.fix.empty() ? "" : " (fix: " + f.fix + ")");
    }
  }
  const doctor::Summary summary = doctor::summarize(findings);
  ctx.measure("findings_failed", static_cast<double>(summary.failed), "", Limits::at_most(0));
  ctx.measure("findings_warning", static_cast<double>(summary.warnings));
  if (!failed.empty()) throw PhaseFailure{"the doctor found what to fix first: " + failed};
}

void check_tcp(PhaseContext& ctx, const CheckSpec& spec) {
  const ons::OnsClientOptions options = ctx.plug<rig::WiredRig>("rig").ons_client_options();
  ctx.detail("endpoint", HostPort{options.endpoint.host, options.endpoint.port}.to_string());
  const MonotonicTime start = ctx.clock().monotonic_now();
  tcp_connect(options.endpoint, connect_timeout(spec, options));
  ctx.measure("connect_ms", ms_since(ctx, start), "ms", limit_of(spec.limit_ms));
}

void check_tls(PhaseContext& ctx, const CheckSpec& spec) {
  const ons::OnsClientOptions options = ctx.plug<rig::WiredRig>("rig").ons_client_options();
  ctx.detail("endpoint", HostPort{options.endpoint.host, options.endpoint.port}.to_string());
  const MonotonicTime start = ctx.clock().monotonic_now();
  const tls::TlsSessionInfo session = tls_handshake(options);
  ctx.measure("handshake_ms", ms_since(ctx, start), "ms", limit_of(spec.limit_ms));
  ctx.measure("tls_version", session.version);
  ctx.detail("cipher", session.cipher);
  if (!session.peer_signature.empty()) ctx.detail("peer_signature", session.peer_signature);
  if (session.peer_certificate) {
    ctx.detail("server_certificate_sha256", session.peer_certificate->sha256_fingerprint());
    const auto days_left = std::chrono::duration_cast<std::chrono::hours>(session.peer_certificate->not_after() -
                                                                          std::chrono::system_clock::now())
                               .count() /
                           24;
    ctx.measure("server_certificate_days_left", static_cast<double>(days_left), "days", Limits::at_least(1));
  }
}

void check_search(PhaseContext& ctx, const CheckSpec& spec) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  const MonotonicTime start = ctx.clock().monotonic_now();
  const ons::QualificationResult result =
      search_inquiry(rig.ons_client_options(), spec.patient, rig.config().facility_code);
  ctx.measure("inquiry_ms", ms_since(ctx, start), "ms", limit_of(spec.limit_ms));
  ctx.detail("patient", spec.patient);
  ctx.detail("processing_result_status", std::string(ons::to_code(result.body.processing_result_status)));
  if (result.body.processing_result_status != ons::ProcessingResultStatus::normal_end) {
    throw PhaseFailure{"the search inquiry for " + spec.patient + " was answered with ProcessingResultStatus " +
                       std::string(ons::to_code(result.body.processing_result_status))};
  }
  ctx.measure("results", static_cast<double>(result.body.results.size()), "", Limits::at_least(1));
}

// The session's console, or nobody at all (the harness answers on an emulated rig).
PromptAnswer ask_console(const rig::WiredRig& rig, const OptestSession& session, const Prompt& prompt,
                         const std::string& harness_answer) {
  if (session.console != nullptr) return session.console->ask(prompt, harness_answer);
  OperatorConsole::Options nobody;
  nobody.input_fd = -1;
  nobody.emulated_rig = is_emulated(rig.config());
  return OperatorConsole(nobody).ask(prompt, harness_answer);
}

// The receipt computer under test (docs/sut.md): onshi/receipt_computer_check's run on the rig,
// each of its phases as measurements and details; a phase that failed fails the check naming
// it, one that could not run (the SUT never ready, a folder not writable) is an error.
void check_receipt_computer_link(PhaseContext& ctx, const CheckSpec& spec, OptestSession& session) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  receipt_computer_check::CheckOptions options;
  options.pki_dir = rig.pki_dir();
  const run::RunResult result = receipt_computer_check::check_receipt_computer(rig.config(), options);
  // A launched SUT's output, whatever the verdict: it is what explains a failure.
  const bool launched = std::any_of(result.attributes.begin(), result.attributes.end(),
                                    [](const auto& attribute) { return attribute.first == "sut_stdout"; });
  if (launched) {
    session.sut_logs.push_back({spec.name, result.attribute("sut_stdout"), result.attribute("sut_stderr")});
  }
  std::string failed;
  std::string broken;
  for (const run::PhaseResult& phase : result.phases) {
    ctx.detail(phase.name, std::string(run::to_string(phase.verdict)) + (phase.reason.empty() ? "" : ": " + phase.reason));
    for (const run::Measurement& m : phase.measurements) ctx.measure(phase.name + "." + m.name, m.value, m.unit, m.limits);
    if (phase.verdict == run::PhaseVerdict::error && broken.empty()) broken = phase.name + ": " + phase.reason;
    if (phase.verdict == run::PhaseVerdict::failed && failed.empty()) failed = phase.name + ": " + phase.reason;
  }
  if (const std::string exit = result.attribute("sut_exit"); !exit.empty()) ctx.detail("sut_exit", exit);
  if (!broken.empty()) throw RigBroken("the receipt computer check: " + broken);
  if (!failed.empty() || !result.met_expectation()) {
    throw PhaseFailure{"the receipt computer did not do its part: " + (failed.empty() ? std::string("a phase did not pass") : failed)};
  }
}

// Asks the check's prompt and returns the answer; an unanswered prompt, or an answer that
// stops the check, fails it with the prompt's words.
std::string ask_prompt(PhaseContext& ctx, const CheckSpec& spec, const OptestSession& session,
                       const std::string& harness_answer) {
  const Prompt& prompt = *spec.prompt;
  const PromptAnswer answer = ask_console(ctx.plug<rig::WiredRig>("rig"), session, prompt, harness_answer);
  ctx.detail("prompt", prompt.text);
  ctx.detail("prompt_answered_by", std::string(to_string(answer.source)));
  ctx.measure("prompt_wait_ms", static_cast<double>(answer.waited.count()), "ms");
  if (!answer.answer) throw PhaseFailure{"no answer to the operator prompt \"" + prompt.text + "\": " + answer.why_unanswered};
  ctx.detail("prompt_answer", *answer.answer);
  if (!spec.prompt_sets_operator_decision && *answer.answer != prompt.answers.front()) {
    throw PhaseFailure{"the operator answered '" + *answer.answer + "' to \"" + prompt.text + "\""};
  }
  return *answer.answer;
}

void check_reception(PhaseContext& ctx, const CheckSpec& spec, OptestSession& session) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  flow::Scenario scenario = rig.scenario(spec.scenario);
  if (spec.prompt) {
    const std::string answer = ask_prompt(ctx, spec, session, scenario.identity.operator_decision);
    // The staff's 目視確認 decision comes from the person (or the answers file), not the scenario.
    if (spec.prompt_sets_operator_decision) scenario.identity.operator_decision = answer;
  }
  // A physical card's last PIN try is spent only when a person agrees (docs/optest.md,
  // "Physical test cards"); the answers file can say so as "<check>.last_pin_try".
  rig.on_last_pin_try([&](const std::string& question) {
    Prompt prompt;
    prompt.id = spec.name + ".last_pin_try";
    prompt.text = question;
    prompt.answers = {"keep", "lock"};
    prompt.physical_act = false;
    const PromptAnswer answer = ask_console(rig, session, prompt, {});
    ctx.detail("last_pin_try", answer.answer ? *answer.answer + " (" + std::string(to_string(answer.source)) + ")"
                                              : "kept: " + answer.why_unanswered);
    return answer.answer && *answer.answer == "lock";
  });
  flow::RunRecord record;
  try {
    record = rig.run(scenario);
  } catch (const Error& e) {
    rig.on_last_pin_try({});
    if (is_rig_fault(e.code())) throw RigBroken("scenario " + spec.scenario + ": " + e.what());
    throw;
  }
  rig.on_last_pin_try({});
  record.name = spec.name + " (" + spec.scenario + ")";
  session.receptions.push_back(record);
  ctx.detail("scenario", scenario.name);
  ctx.detail("patient", record.patient);
  if (!record.identity_method.empty()) ctx.detail("identity_method", record.identity_method);
  for (const flow::StepResult& step : record.steps) {
    if (step.status == flow::StepStatus::skipped) continue;
    const auto budget = spec.budgets_ms.find(step.name);
    ctx.measure(step.name + "_ms", std::chrono::duration<double, std::milli>(step.duration).count(), "ms",
                budget == spec.budgets_ms.end() ? std::nullopt : std::optional<Limits>(Limits::at_most(budget->second)));
  }
  for (const flow::StepResult& step : record.steps) {
    if (step.status == flow::StepStatus::error) {
      throw RigBroken("scenario " + spec.scenario + ", step " + step.name + ": " + without_rig_broken_prefix(step.reason));
    }
  }
  if (!record.met_expectation()) {
    std::string why = "the reception did not end as scenario " + spec.scenario + " expects";
    for (const flow::StepResult& step : record.steps) {
      if (step.status == flow::StepStatus::failed) {
        why += ": step " + step.name + " failed: " + step.reason;
        break;
      }
    }
    if (!scenario.expect_failed_step.empty()) why += " (expected step " + scenario.expect_failed_step + " to fail)";
    throw PhaseFailure{why};
  }
  const std::vector<AnswerMismatch> mismatches = compare_answer(scenario, record);
  ctx.measure("answer_mismatches", static_cast<double>(mismatches.size()), "", Limits::at_most(0));
  if (!mismatches.empty()) {
    std::string why = "the ONS answer does not match the request and the scenario: ";
    for (std::size_t i = 0; i < mismatches.size(); ++i) {
      why += (i == 0 ? "" : "; ") + mismatches[i].field + ": " + mismatches[i].what;
    }
    throw PhaseFailure{why};
  }
}

struct OptionalPlugs {
  std::string load_generator;
  std::string hot_plug_actor;
  std::string viewing_terminals;
};

run::Phase phase_of(const CheckSpec& spec, OptestSession& session, const OptionalPlugs& optional) {
  run::Phase phase;
  phase.name = spec.name;
  phase.on_failure = run::OnFailure::continue_run;
  switch (spec.kind) {
    case CheckKind::receipt_computer_link: phase.plugs = {"rig", kReceiptComputerPlug}; break;
    case CheckKind::information_viewing: phase.plugs = {"rig", optional.viewing_terminals}; break;
    case CheckKind::load_smoke: phase.plugs = {"rig", optional.load_generator}; break;
    case CheckKind::hot_plug: phase.plugs = {"rig", optional.hot_plug_actor}; break;
    default: phase.plugs = {"rig"}; break;
  }
  switch (spec.kind) {
    case CheckKind::doctor: phase.body = [](PhaseContext& ctx) { check_preflight(ctx); }; break;
    case CheckKind::tcp_connect:
      phase.body = [spec](PhaseContext& ctx) { guarded(ctx, [&](PhaseContext& c) { check_tcp(c, spec); }); };
      break;
    case CheckKind::tls_handshake:
      phase.body = [spec](PhaseContext& ctx) { guarded(ctx, [&](PhaseContext& c) { check_tls(c, spec); }); };
      break;
    case CheckKind::search_inquiry:
      phase.body = [spec](PhaseContext& ctx) { guarded(ctx, [&](PhaseContext& c) { check_search(c, spec); }); };
      break;
    case CheckKind::reception:
      phase.body = [spec, &session](PhaseContext& ctx) {
        guarded(ctx, [&](PhaseContext& c) { check_reception(c, spec, session); });
      };
      break;
    case CheckKind::confirmation:
      phase.body = [spec, &session](PhaseContext& ctx) { ask_prompt(ctx, spec, session, {}); };
      break;
    case CheckKind::receipt_computer_link:
      phase.body = [spec, &session](PhaseContext& ctx) {
        guarded(ctx, [&](PhaseContext& c) { check_receipt_computer_link(c, spec, session); });
      };
      break;
    case CheckKind::information_viewing:
      phase.body = [spec, &session](PhaseContext& ctx) {
        guarded(ctx, [&](PhaseContext& c) {
          run_information_viewing(c, c.plug<rig::WiredRig>("rig"), spec.scenario, session.receptions);
        });
      };
      break;
    case CheckKind::hot_plug:
      // Its prompt is asked first (below): on an emulated rig the harness answers and pulls the reader itself.
      phase.body = [spec, &session](PhaseContext& ctx) {
        guarded(ctx, [&](PhaseContext& c) {
          rig::WiredRig& rig = c.plug<rig::WiredRig>("rig");
          run_hot_plug(c, rig, spec.scenario, is_emulated(rig.config()), session.receptions);
        });
      };
      break;
    case CheckKind::load_smoke:
      phase.body = [spec](PhaseContext& ctx) {
        const LoadSmokeSpec load{spec.load_rate_per_s, spec.load_duration_s, spec.load_readers, spec.load_thresholds};
        guarded(ctx, [&](PhaseContext& c) { run_load_smoke(c, load); });
      };
      break;
    default:
      // Only reached if its plug were bound without the part behind it.
      phase.body = [spec](PhaseContext&) {
        throw PhaseFailure{"check kind " + std::string(to_string(spec.kind)) + " has no implementation"};
      };
      break;
  }
  if (spec.prompt && spec.kind != CheckKind::reception && spec.kind != CheckKind::confirmation) {
    phase.body = [spec, &session, body = std::move(phase.body)](PhaseContext& ctx) {
      ask_prompt(ctx, spec, session, {});
      body(ctx);
    };
  }
  return phase;
}

}  // namespace

bool is_emulated(const rig::RigConfig& config) { return config.card.kind != "physical"; }

run::Plan make_checklist_plan(const Checklist& checklist, rig::WiredRig& rig, OptestSession& session) {
  run::Plan plan;
  plan.name = checklist.name;
  plan.attributes = {{"checklist", checklist.source.string()},
                     {"rig", rig.config().name},
                     {"rig_file", rig.config().file.string()},
                     {"facility", rig.config().facility_code},
                     {"ons_endpoint", rig.ons_endpoint()},
                     {"ons_wire", rig.ons_wire()}};
  plan.plugs.bind("rig", rig);
  // The receipt computer under test is there when the rig names one.
  if (!rig.config().sut.kind.empty()) plan.plugs.bind(kReceiptComputerPlug, rig);
  // The load driver multiplies the rig's readers: only emulated ones (onshi/optest/load_smoke.hpp).
  OptionalPlugs optional{load_plug(rig.config()), hot_plug_plug(rig.config()), viewing_plug(rig.config())};
  if (why_load_cannot_drive(rig.config()).empty()) plan.plugs.bind(optional.load_generator, rig);
  if (hot_plug_possible(rig.config())) plan.plugs.bind(optional.hot_plug_actor, rig);
  if (why_viewing_cannot_run(rig.config()).empty()) plan.plugs.bind(optional.viewing_terminals, rig);
  for (const CheckSpec& spec : checklist.checks) plan.phases.push_back(phase_of(spec, session, optional));
  return plan;
}

OptestOutcome outcome_of(const run::RunResult& result, const Checklist& checklist) {
  bool failed = false;
  for (const run::PhaseResult& phase : result.phases) {
    if (phase.verdict == run::PhaseVerdict::error) return OptestOutcome::broken;
    if (phase.verdict == run::PhaseVerdict::failed) failed = true;
    for (const CheckSpec& spec : checklist.checks) {
      if (spec.name == phase.name && spec.required && !phase.passed()) failed = true;
    }
  }
  return failed ? OptestOutcome::failed : OptestOutcome::passed;
}

}  // namespace onshi::optest
