#pragma once
// What the doctor's checks share while examining one rig (docs/doctor.md): the rig, the
// options, the test PKI and the ONS client options once they could be had, and the findings
// so far. Each check file adds its findings in order.
#include <optional>
#include <string>
#include <vector>

#include "onshi/doctor/doctor.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::doctor::detail {

// What the TLS probe of the endpoint learnt, for the checks that depend on it.
struct TlsProbe {
  bool reached = false;      // TCP connected
  bool handshake = false;    // TLS handshake completed
  bool answered = false;     // an HTTP answer came back (the client certificate was accepted)
  std::vector<std::string> acceptable_client_cas;  // RFC 2253 DNs from the CertificateRequest
  std::string refusal;       // the TLS alert or error when the ONS refused the client
};

struct Examination {
  Examination(const rig::RigConfig& r, const DoctorOptions& o) : rig(r), options(o) {}

  const rig::RigConfig& rig;
  const DoctorOptions& options;
  WallTime now{};
  std::vector<Finding> findings;

  std::filesystem::path pki_dir;
  std::optional<pki::TestPki> pki;
  std::optional<population::Population> population;
  std::optional<ons::OnsClientOptions> client;  // what the rig's ONS link configured
  bool remote_ons = false;
  TlsProbe probe;

  void ok(std::string check, std::string what, std::vector<run::Measurement> measurements = {});
  void warning(std::string check, std::string what, std::string fix, std::vector<run::Measurement> measurements = {});
  void failed(std::string check, std::string what, std::string fix, std::vector<run::Measurement> measurements = {});
};

// "2026-11-30" (UTC).
std::string format_day(WallTime t);

void check_terminal_certificate(Examination& exam);
void check_terminal_certificate_chain(Examination& exam);  // needs the probe for a remote ONS
void check_ons_endpoint(Examination& exam);
void check_card_pki(Examination& exam);
void check_crl(Examination& exam);  // only when the rig names [pki] crl
void check_reader_and_card(Examination& exam);
void check_result_folders(Examination& exam);

}  // namespace onshi::doctor::detail
