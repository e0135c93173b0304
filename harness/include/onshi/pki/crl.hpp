#pragma once
// X.509 v2 certificate revocation lists, issued by a test CA at test time: the mock ONS
// loads one to refuse revoked terminal certificates (the "who may ask" matrix).
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/pki/credential.hpp"

namespace onshi::pki {

struct CrlSpec {
  WallTime this_update{};
  WallTime next_update{};
  std::vector<crypto::Certificate> revoked;  // each must be issued by the CA
  WallTime revocation_time{};                // for every entry; default: this_update
};

// A SHA-256-signed CRL in PEM. Throws Error(invalid_argument) when next_update <= this_update
// or a revoked certificate names another issuer, Error(crypto) when OpenSSL fails.
std::string issue_crl_pem(const Credential& ca, const CrlSpec& spec);

struct TestPki;
// The test PKI's terminal-CA CRL (DIR/terminal-ca/crl.pem): no entries, thisUpdate when the
// PKI was made, nextUpdate when its first terminal certificate expires, so it is current as
// long as the PKI is usable (docs/doctor.md, "CRL").
std::string terminal_ca_crl_pem(const TestPki& pki);

}  // namespace onshi::pki
