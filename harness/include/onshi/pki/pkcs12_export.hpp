#pragma once
// A terminal credential as PKCS#12 (.p12/.pfx), the form Windows' certificate import and most
// vendor terminals take a client certificate in: key, certificate and its CA chain in one file,
// protected by a password (docs/receipt-computer.md, "Handing the certificates to the vendor").
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/crypto/certificate.hpp"
#include "onshi/pki/credential.hpp"

namespace onshi::pki {

// The password `pki --p12` uses when none is given: a test PKI's keys protect nothing real.
inline constexpr const char* kDefaultPkcs12Password = "onshi-hil-test";

// Writes `credential` with `chain` (issuer first) to `file`, mode 0600, atomically, encrypted
// with OpenSSL 3's defaults (PBES2 AES-256-CBC, HMAC-SHA256 MAC) under `password`;
// `friendly_name` is the label the importer shows. Throws Error(crypto) when OpenSSL cannot
// build it, Error(io) naming the file when it cannot be written.
void write_pkcs12(const std::filesystem::path& file, const Credential& credential,
                  const std::vector<crypto::Certificate>& chain, const std::string& password,
                  const std::string& friendly_name);

}  // namespace onshi::pki
