#pragma once
// The test vendor's signing credential: a vendor CA and, issued by it, a certificate with the
// emailProtection and codeSigning EKUs that `onshi-hil optest --evidence` signs the evidence
// manifest with (docs/optest.md), so `openssl cms -verify -CAfile <vendor CA>` checks it on
// the emulated rig as it would a real vendor's. Kept beside the test PKI:
//
//   DIR/vendor-ca/{cert,key}.pem
//   DIR/vendor/{cert,key}.pem
//
// Made the first time it is asked for, under a lock, so concurrent runs share one.
#include <filesystem>

#include "onshi/pki/credential.hpp"
#include "onshi/pki/recipe.hpp"

namespace onshi::pki {

struct VendorCredential {
  Credential ca;       // its key is only read to check the pair; the vendor CA signs nothing else
  Credential signer;
  std::filesystem::path ca_cert_file;
  std::filesystem::path signer_cert_file;
  std::filesystem::path signer_key_file;
};

// Loads DIR's vendor credential, or makes it (subjects and validity from `recipe`) when
// DIR/vendor is missing. Throws Error(config) naming the file when one exists but is damaged
// (unparsable, a key that is not its certificate's, a signer its CA did not issue).
VendorCredential ensure_vendor_credential(const std::filesystem::path& pki_dir, const Recipe& recipe);
VendorCredential ensure_vendor_credential(const std::filesystem::path& pki_dir);

}  // namespace onshi::pki
