#pragma once
// The evidence manifest's detached CMS (PKCS#7) signature, with the OpenSSL CMS API:
// CMS_sign(CMS_DETACHED | CMS_BINARY) by the vendor's signing certificate, written as PEM, so
// `openssl cms -verify -binary -content manifest.json -inform PEM -in manifest.json.p7s
// -CAfile <vendor CA>` checks it as our verifier does (docs/optest.md).
#include <string>
#include <string_view>
#include <vector>

#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"

namespace onshi::optest {

// PEM "-----BEGIN CMS-----"; Error(crypto) with OpenSSL's reason.
std::string sign_detached(std::string_view content, const crypto::Certificate& signer, const crypto::PrivateKey& key);

// Empty when `signature_pem` is a valid signature over `content` by a certificate that chains
// to one of `trusted` (for the S/MIME signing purpose, as `openssl cms -verify` checks);
// otherwise why not, with OpenSSL's reason.
std::string verify_detached(std::string_view content, std::string_view signature_pem,
                            const std::vector<crypto::Certificate>& trusted);

}  // namespace onshi::optest
