#pragma once
// A synthetic patient's whole virtual My Number Card, built from the population and the test
// PKI: the one recipe the card link, `onshi-hil emulate` and the tests share.
#include <memory>

#include "onshi/iso7816/icc.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::mocks::card {

// Faults a scenario can put on the card.
struct PatientCardOptions {
  bool expired_auth_certificate = false;  // an expired 利用者証明用電子証明書 over the same key
};

// Both JPKI credentials come from the test PKI (no key is made here).
std::shared_ptr<iso7816::Icc> make_patient_card(const population::Patient& patient, const pki::TestPki& test_pki,
                                                const PatientCardOptions& options = {});

}  // namespace onshi::mocks::card
