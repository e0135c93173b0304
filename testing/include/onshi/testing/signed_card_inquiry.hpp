#pragma once
// signed_card_inquiry: a card-path inquiry as a terminal sends it after the card's work: the
// patient's user-authentication certificate, a fresh 32-byte challenge and the card key's
// signature over its SHA-256 DigestInfo (what the JPKI AP's 80 2A returns), from a given
// facility on a given date. Consents are left unset: set the ones the test is about.
//
//   ons::CardQualificationInquiry q = onshi::testing::signed_card_inquiry(pki.patient("P001"));
//   q.consents.pharmacists_info = ons::ConsentFlag::consented;
//   onshi::testing::sign_again(q, card);   // a fresh challenge for the next round
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/pki/credential.hpp"

namespace onshi::testing {

// A facility of the synthetic population with a terminal certificate in the test PKI.
inline constexpr const char* kTestFacility = "1312345678";
// A second one, for facility-mismatch tests.
inline constexpr const char* kOtherTestFacility = "2798765432";

struct CardInquiryOptions {
  std::string facility = kTestFacility;  // MedicalInstitutionCode
  WallTime date = std::chrono::system_clock::now();  // QualificationConfirmationDate (JST)
  std::string file_identifier{};         // ArbitraryFileIdentifier; empty: none
};

ons::CardQualificationInquiry signed_card_inquiry(const pki::Credential& card, const CardInquiryOptions& options = {});

// A new challenge and its signature in `inquiry`, the rest unchanged (replays are refused).
void sign_again(ons::CardQualificationInquiry& inquiry, const pki::Credential& card);

}  // namespace onshi::testing
