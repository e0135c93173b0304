#include "onshi/pki/card_credentials.hpp"

#include <algorithm>
#include <map>

#include "onshi/core/bytes.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/pki/issue.hpp"

namespace onshi::pki {

std::string card_id(const std::string& patient_id) {
  const Bytes digest = crypto::sha256(to_bytes("onshi-hil/test-pki/card/" + patient_id));
  return "JPKIT" + to_hex(ByteView(digest.data(), 10));
}

bool is_card_directory_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && id != "." && id != ".." &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
                  c == '_' || c == '.';
         });
}

CardCredentials issue_card_credentials(const Recipe& recipe, const Credential& jpki_ca, const std::string& patient_id,
                                       WallTime not_before, WallTime not_after, crypto::PrivateKey auth_key,
                                       crypto::PrivateKey sign_key) {
  const std::map<std::string, std::string> values = {{"card_id", card_id(patient_id)}};
  CardCredentials card;
  CertificateSpec auth;
  auth.subject = expand_placeholders(recipe.patient_auth, values);
  auth.profile = CertificateProfile::client;
  auth.not_before = not_before;
  auth.not_after = not_after;
  card.auth.key = std::move(auth_key);
  card.auth.certificate = issue_certificate(auth, card.auth.key, &jpki_ca);
  // A signature certificate is no TLS client: no extended key usage.
  CertificateSpec sign;
  sign.subject = expand_placeholders(recipe.patient_sign, values);
  sign.not_before = not_before;
  sign.not_after = not_after;
  sign.extended_key_usage = false;
  card.sign.key = std::move(sign_key);
  card.sign.certificate = issue_certificate(sign, card.sign.key, &jpki_ca);
  return card;
}

}  // namespace onshi::pki
