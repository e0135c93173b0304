#pragma once
// One client certificate per terminal PC of a facility (docs/optest.md, "Information
// viewing"): a clinic's reception terminal, its separate viewing terminal (閲覧用端末) and its
// EHR or receipt computer each connect with their own certificate, so the ONS side can tell
// which PC asked. Issued by the test PKI's terminal CA, with the facility's code as subject
// serialNumber and the PC's name in the CN, kept beside the test PKI:
//
//   DIR/terminals/<code>/pcs/<pc>/{cert,key}.pem
//
// Made the first time it is asked for, under a lock, so concurrent runs share one; one that no
// longer chains to the PKI's terminal CA (the PKI was regenerated) is issued again.
#include <filesystem>
#include <string>

#include "onshi/pki/credential.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki {

struct PcCredential {
  std::string pc;
  Credential credential;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};

// Throws Error(invalid_argument) for a PC name that is not 1-32 of [a-z0-9-], Error(not_found)
// for a facility the PKI has no terminal certificate for, Error(config) naming the file when
// a key does not match its certificate.
PcCredential ensure_pc_credential(const std::filesystem::path& pki_dir, const TestPki& pki,
                                  const std::string& facility_code, const std::string& pc);

}  // namespace onshi::pki
