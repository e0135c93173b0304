#pragma once
// p001_information_request: a medication or checkup information request for the synthetic
// population's P001 (fixtures/population), by the insurance-card data the mock ONS knows.
// It is answered once a card inquiry has put P001's consent on record.
//
//   const auto r = onshi::testing::p001_information_request(ons::InformationKind::medication);
#include <string>

#include "onshi/ons/information_request.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi::testing {

ons::InformationRequest p001_information_request(ons::InformationKind kind,
                                                 const std::string& facility = kTestFacility);

}  // namespace onshi::testing
