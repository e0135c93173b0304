#include "onshi/pki/credential.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace onshi::pki {

bool Credential::key_matches() const {
  if (!certificate || !key) return false;
  const bool ok = X509_check_private_key(certificate.get(), key.get()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace onshi::pki
