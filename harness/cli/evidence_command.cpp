// onshi-hil evidence verify DIR [--ca FILE]: checks an operational test's evidence bundle —
// the manifest's CMS signature and its chain to the vendor CA, then every file's SHA-256 —
// and names the first file that differs (docs/optest.md, "Evidence").
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/optest/evidence_bundle.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::cli {
namespace {

struct EvidenceOptions {
  std::string dir;
  std::string ca_file;
};

}  // namespace

Command add_evidence_command(CLI::App& app) {
  auto options = std::make_shared<EvidenceOptions>();
  CLI::App* evidence = app.add_subcommand("evidence", "Operational-test evidence bundles");
  evidence->require_subcommand(1);
  CLI::App* verify = evidence->add_subcommand(
      "verify", "Check a bundle's signature, its chain and every file's hash; exit 1 naming the first file that differs");
  verify->add_option("dir", options->dir, "the evidence folder")->required();
  verify->add_option("--ca", options->ca_file,
                     "the vendor CA certificate(s), PEM (default: the test PKI's vendor CA)");
  return [options]() {
    std::filesystem::path ca = options->ca_file;
    if (ca.empty()) ca = rig::default_pki_dir() / "vendor-ca" / "cert.pem";  // vendor_credential.hpp's layout
    const auto trusted = crypto::Certificate::load_pem_bundle(ca);
    const optest::EvidenceVerdict verdict = optest::verify_evidence(options->dir, trusted);
    if (!verdict.ok) {
      std::cout << "evidence verify: FAILED: " << verdict.file << ": " << verdict.reason << "\n";
      return exit_failed;
    }
    std::cout << "evidence verify: OK: signature by a certificate of " << ca.string() << ", " << verdict.files_checked
              << " files match the manifest\n";
    return exit_ok;
  };
}

}  // namespace onshi::cli
