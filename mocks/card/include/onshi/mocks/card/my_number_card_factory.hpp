#pragma once
// Builds the virtual My Number Card's file system from a test identity: the JPKI AP with the
// user-authentication certificate, its CA, key and PIN, plus the (still empty) kenhojo and
// kenkaku APs so a host can select them.
#include <memory>
#include <string>

#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/mocks/card/card_file_system.hpp"
#include "onshi/mocks/card/card_profile.hpp"
#include "onshi/mocks/card/virtual_my_number_card.hpp"

namespace onshi::mocks::card {

// JPKI AP: 0006 token info "JPKIAPICCTOKEN2", 0008 certificate presence 8F 8F 00,
// 000A auth certificate (DER, free read), 000B its CA (DER), 0017 auth key guarded by
// 0018 auth PIN (4 ASCII digits, profile.auth_pin_max_tries tries).
// Throws Error(invalid_argument) when the PIN is not 4 digits (the message never holds it) or
// the key does not match the certificate.
Application make_jpki_application(const crypto::Certificate& auth_cert, const crypto::PrivateKey& auth_key,
                                  const crypto::Certificate& auth_ca, std::string auth_pin,
                                  const CardProfile& profile = {});
// 券面事項入力補助AP and 券面AP: selectable, no EFs yet.
Application make_card_input_helper_application();
Application make_card_surface_application();

std::unique_ptr<VirtualMyNumberCard> make_virtual_my_number_card(const crypto::Certificate& auth_cert,
                                                                 const crypto::PrivateKey& auth_key,
                                                                 const crypto::Certificate& auth_ca,
                                                                 std::string auth_pin, CardProfile profile = {});

}  // namespace onshi::mocks::card
