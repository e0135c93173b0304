#pragma once
// The rig doctor (docs/doctor.md): examines a rig's links before anything runs on them and
// says, per check, what is wrong and what an install engineer does about it. `onshi-hil
// doctor` prints the findings; the operational test's preflight phase records them.
//
//   const auto findings = onshi::doctor::examine_rig(onshi::rig::load_rig(file));
//   if (!onshi::doctor::summarize(findings).healthy()) ...   // a finding failed
//
// examine_rig never throws for a broken rig: a missing file, an unreachable endpoint, a
// reader that is not there are each a failed finding. It throws only for a programming error.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/run/measurement.hpp"

namespace onshi::doctor {

struct Finding {
  enum class Severity { ok, warning, failed };

  // A stable dotted name, e.g. "terminal_certificate.validity", "ons.tls_handshake",
  // "reader.present" (docs/doctor.md lists them all).
  std::string check;
  Severity severity = Severity::ok;
  std::string what;  // what was found, one sentence
  std::string fix;   // what to do, in an install engineer's words; empty when ok
  std::vector<run::Measurement> measurements;  // e.g. days_to_expiry (days), tls_handshake_ms (ms)
};

std::string_view to_string(Finding::Severity severity);  // "ok" | "warning" | "failed"

struct DoctorOptions {
  std::optional<std::filesystem::path> pki_dir;     // as `run --pki`; else the rig's [pki] dir
  std::optional<std::filesystem::path> output_dir;  // as `run --output`; else the rig's [output] dir
  std::chrono::milliseconds network_timeout{5'000};  // each of resolve, connect, handshake, request
  int expiry_warning_days = 30;                      // a certificate expiring sooner is a warning
  std::chrono::hours crl_warning_before{48};         // a CRL whose nextUpdate is sooner: a warning
  std::uintmax_t free_space_warning_bytes = std::uintmax_t{256} << 20;
  std::chrono::seconds clock_skew_warning{60};       // |terminal - server Date| above this: warning
  const Clock* clock = nullptr;                      // wall time for validity; null: the system clock
};

// Every check of docs/doctor.md, in order: terminal certificate, ONS endpoint, the CRL when
// the rig names one, card PKI vs ONS PKI, readers and card, result folders.
std::vector<Finding> examine_rig(const rig::RigConfig& rig, const DoctorOptions& options = {});

struct Summary {
  std::size_t ok = 0;
  std::size_t warnings = 0;
  std::size_t failed = 0;
  bool healthy() const { return failed == 0; }  // warnings do not make a rig unhealthy
};
Summary summarize(const std::vector<Finding>& findings);

// Plain text for a person: one line per finding (severity, check, what), its fix indented
// below, then "doctor: N ok, N warning(s), N failed".
void print_findings(std::ostream& out, const std::vector<Finding>& findings);

// {"schema": "onshi-hil/doctor/1", "rig": ..., "summary": {...}, "findings": [{check,
// severity, what, fix, measurements: [{name, value, unit, limits, verdict}]}]}
std::string findings_json(const std::vector<Finding>& findings, const std::string& rig_file);

}  // namespace onshi::doctor
