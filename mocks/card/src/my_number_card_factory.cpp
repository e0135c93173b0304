#include "onshi/mocks/card/my_number_card_factory.hpp"

#include <openssl/x509.h>

#include "onshi/core/error.hpp"
#include "onshi/core/redact.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/token_info.hpp"

namespace onshi::mocks::card {
namespace {

constexpr const char* factory_context = "virtual My Number Card";
constexpr unsigned max_tries_in_63cx = 15;  // the counter travels in SW2's low nibble

Bytes aid_bytes(const jpki::aid::Aid10& aid) { return Bytes(aid.begin(), aid.end()); }

}  // namespace

Application make_jpki_application(const crypto::Certificate& auth_cert, const crypto::PrivateKey& auth_key,
                                  const crypto::Certificate& auth_ca, std::string auth_pin,
                                  const CardProfile& profile) {
  if (!jpki::auth_pin_format.accepts(auth_pin)) {
    throw Error(ErrorCode::invalid_argument, "auth PIN " + redact_pin(auth_pin) + " is not 4 ASCII digits",
                factory_context);
  }
  if (profile.auth_pin_max_tries == 0 || profile.auth_pin_max_tries > max_tries_in_63cx) {
    throw Error(ErrorCode::invalid_argument,
                "auth PIN tries must be 1..15, got " + std::to_string(profile.auth_pin_max_tries), factory_context);
  }
  if (!auth_cert || !auth_key || !auth_ca) {
    throw Error(ErrorCode::invalid_argument, "auth certificate, key and CA certificate are all required",
                factory_context);
  }
  if (X509_check_private_key(auth_cert.get(), auth_key.get()) != 1) {
    crypto::drain_openssl_errors();
    throw Error(ErrorCode::invalid_argument, "auth key does not match the auth certificate " + auth_cert.subject(),
                factory_context);
  }

  Application jpki{"JPKI AP", aid_bytes(jpki::aid::jpki), {}};
  jpki.files.emplace(jpki::ef::token_info, BinaryEf{jpki::make_token_info(jpki::token_label::my_number_card), {}});
  jpki.files.emplace(jpki::ef::certificate_presence, BinaryEf{Bytes{0x8F, 0x8F, 0x00}, {}});
  jpki.files.emplace(jpki::ef::auth_certificate, BinaryEf{auth_cert.to_der(), {}});
  jpki.files.emplace(jpki::ef::auth_ca_certificate, BinaryEf{auth_ca.to_der(), {}});
  jpki.files.emplace(jpki::ef::auth_private_key, KeyEf{auth_key, jpki::ef::auth_pin});
  jpki.files.emplace(jpki::ef::auth_pin, PinEf{std::move(auth_pin), jpki::auth_pin_format,
                                               profile.auth_pin_max_tries, profile.auth_pin_max_tries});
  return jpki;
}

Application make_card_input_helper_application() {
  return {"券面事項入力補助AP", aid_bytes(jpki::aid::card_input_helper), {}};
}

Application make_card_surface_application() { return {"券面AP", aid_bytes(jpki::aid::card_surface), {}}; }

std::unique_ptr<VirtualMyNumberCard> make_virtual_my_number_card(const crypto::Certificate& auth_cert,
                                                                 const crypto::PrivateKey& auth_key,
                                                                 const crypto::Certificate& auth_ca,
                                                                 std::string auth_pin, CardProfile profile) {
  CardFileSystem files;
  files.applications.push_back(make_jpki_application(auth_cert, auth_key, auth_ca, std::move(auth_pin), profile));
  files.applications.push_back(make_card_input_helper_application());
  files.applications.push_back(make_card_surface_application());
  return std::make_unique<VirtualMyNumberCard>(std::move(files), std::move(profile));
}

}  // namespace onshi::mocks::card
