#pragma once
// The doctor's CRL check (docs/doctor.md, "CRL"): a certificate revocation list of the
// terminal certificate's CA, named by a rig's `[pki] crl`, examined as the ONS side would use
// it — it parses (PEM or DER), it was signed by the CA, it is current (thisUpdate not in the
// future, nextUpdate not passed, and not about to pass), and it does not list the terminal
// certificate. Each problem is a finding with its fix; nothing here throws for a bad CRL.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/doctor/doctor.hpp"

namespace onshi::doctor {

struct CrlCheckInput {
  std::filesystem::path crl_file;
  // The CA that must have signed the CRL; nullopt: it cannot be told, a warning says so.
  std::optional<crypto::Certificate> issuer;
  std::string issuer_source;  // where the CA came from, for the finding ("[pki] crl_issuer …")
  // The terminal certificate looked for among the revoked entries; nullopt: not checked.
  std::optional<crypto::Certificate> terminal;
  WallTime now{};
  std::chrono::hours warning_before{48};  // nextUpdate sooner than this: a warning
  std::string rig_file;  // named in the fixes
};

// Findings crl.file, crl.signature, crl.freshness, crl.terminal_certificate, in that order;
// when the file does not parse only crl.file.
std::vector<Finding> examine_crl(const CrlCheckInput& input);

}  // namespace onshi::doctor
