#pragma once
// A synthetic My Number Card's two JPKI credentials, issued by the test PKI's JPKI-like CA:
// the 利用者証明用 (user authentication) key and certificate the card path presents, and
// the 署名用 (signature) pair. The recipe's patients get theirs in generate_test_pki; a
// generated population's patients on request (population_cards.hpp). Both go through here,
// so every card certificate looks alike.
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/pki/credential.hpp"
#include "onshi/pki/recipe.hpp"

namespace onshi::pki {

struct CardCredentials {
  Credential auth;  // clientAuth EKU; subject from recipe.patient_auth
  Credential sign;  // no EKU (no TLS client); subject from recipe.patient_sign
};

// Opaque, stable per patient id ("JPKIT" + 20 hex digits) and carrying nothing personal:
// like the CN of a real 利用者証明用電子証明書, which names no one.
std::string card_id(const std::string& patient_id);

// True when `id` can name the card's directory (patients/<id>/): 1 to 64 of [0-9A-Za-z._-],
// not "." or "..".
bool is_card_directory_id(const std::string& id);

// Certifies `auth_key` and `sign_key` for `patient_id`, signed by `jpki_ca`, valid from
// `not_before` to `not_after`. Throws what issue_certificate throws.
CardCredentials issue_card_credentials(const Recipe& recipe, const Credential& jpki_ca, const std::string& patient_id,
                                       WallTime not_before, WallTime not_after, crypto::PrivateKey auth_key,
                                       crypto::PrivateKey sign_key);

}  // namespace onshi::pki
