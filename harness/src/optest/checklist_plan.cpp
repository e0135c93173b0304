#include "onshi/optest/checklist_plan.hpp"

#include <chrono>
#include <optional>

#include "onshi/core/host_port.hpp"
#include "onshi/doctor/doctor.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/optest/answer_check.hpp"
#include "onshi/optest/connectivity.hpp"
#include "onshi/optest/rig_broken.hpp"

namespace onshi::optest {
namespace {

using run::Limits;
using run::PhaseContext;
using run::PhaseFailure;

// Plugs nobody binds yet: the skip reason the executor gives names them.
constexpr const char* kReceiptComputerPlug =
    "receipt-computer SUT link (the system-under-test link kind is not in this rig or harness yet)";
constexpr const char* kViewingPlug =
    "information-viewing terminals (per-PC terminal certificates and the viewing set-ups are not in this harness yet)";
constexpr const char* kLoadPlug = "load generator (onshi/load: not wired into the operational test yet)";

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

void check_reception(PhaseContext& ctx, const CheckSpec& spec, OptestSession& session) {
  rig::WiredRig& rig = ctx.plug<rig::WiredRig>("rig");
  const flow::Scenario& scenario = rig.scenario(spec.scenario);
  flow::RunRecord record;
  try {
    record = rig.run(scenario);
  } catch (const Error& e) {
    if (is_rig_fault(e.code())) throw RigBroken("scenario " + spec.scenario + ": " + e.what());
    throw;
  }
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
      throw RigBroken("scenario " + spec.scenario + ", step " + step.name + ": " + step.reason);
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

run::Phase phase_of(const CheckSpec& spec, OptestSession& session) {
  run::Phase phase;
  phase.name = spec.name;
  phase.on_failure = run::OnFailure::continue_run;
  switch (spec.kind) {
    case CheckKind::receipt_computer_link: phase.plugs = {"rig", kReceiptComputerPlug}; break;
    case CheckKind::information_viewing: phase.plugs = {"rig", kViewingPlug}; break;
    case CheckKind::load_smoke: phase.plugs = {"rig", kLoadPlug}; break;
    default: phase.plugs = {"rig"}; break;
  }
  switch (spec.kind) {
    case CheckKind::doctor: phase.body = [](PhaseContext& ctx) { check_preflight(ctx); }; break;
    case CheckKind::tcp_connect: phase.body = [spec](PhaseContext& ctx) { check_tcp(ctx, spec); }; break;
    case CheckKind::tls_handshake: phase.body = [spec](PhaseContext& ctx) { check_tls(ctx, spec); }; break;
    case CheckKind::search_inquiry: phase.body = [spec](PhaseContext& ctx) { check_search(ctx, spec); }; break;
    case CheckKind::reception:
      phase.body = [spec, &session](PhaseContext& ctx) { check_reception(ctx, spec, session); };
      break;
    default:
      // Only reached if its plug were bound without the part behind it.
      phase.body = [spec](PhaseContext&) {
        throw PhaseFailure{"check kind " + std::string(to_string(spec.kind)) + " has no implementation"};
      };
      break;
  }
  return phase;
}

}  // namespace

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
  for (const CheckSpec& spec : checklist.checks) plan.phases.push_back(phase_of(spec, session));
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
