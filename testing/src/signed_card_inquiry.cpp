#include "onshi/testing/signed_card_inquiry.hpp"

#include "onshi/crypto/certificate.hpp"

namespace onshi::testing {

ons::CardQualificationInquiry signed_card_inquiry(const pki::Credential& card, const CardInquiryOptions& options) {
  ons::CardQualificationInquiry q;
  q.header.qualification_confirmation_date = format_jst_date(options.date);
  q.header.medical_institution_code = options.facility;
  if (!options.file_identifier.empty()) q.header.arbitrary_file_identifier = options.file_identifier;
  q.user_authentication_certificate = card.certificate.to_der();
  sign_again(q, card);
  return q;
}

void sign_again(ons::CardQualificationInquiry& inquiry, const pki::Credential& card) {
  inquiry.challenge = crypto::random_bytes(32);
  inquiry.challenge_signature = card.key.sign_pkcs1_raw(crypto::sha256_digest_info(inquiry.challenge));
}

}  // namespace onshi::testing
