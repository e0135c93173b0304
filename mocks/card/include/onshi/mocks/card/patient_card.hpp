#pragma once
// A synthetic patient's whole virtual My Number Card, built from the population and the test
// PKI: the one recipe the card link, `onshi-hil emulate` and the tests share.
#include <filesystem>
#include <memory>

#include "onshi/iso7816/icc.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::mocks::card {

// Faults a scenario can put on the card.
struct PatientCardOptions {
  bool expired_auth_certificate = false;  // an expired 利用者証明用電子証明書 over the same key
  // Where the card keeps its PIN counters between processes (card_state_file.hpp); empty: in
  // memory only, a fresh counter each time the card is made.
  std::filesystem::path state_file;
};

// The state file of `patient`'s card in a state directory: DIR/<patient id>.json.
std::filesystem::path patient_card_state_file(const std::filesystem::path& dir, const population::Patient& patient);

// Both JPKI credentials come from the test PKI (no key is made here).
std::shared_ptr<iso7816::Icc> make_patient_card(const population::Patient& patient, const pki::TestPki& test_pki,
                                                const PatientCardOptions& options = {});

}  // namespace onshi::mocks::card
