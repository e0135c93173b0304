#pragma once
// Which patients have a card in a test PKI, as the patient resolver asks it
// (population/patient_resolver.hpp): a recipe patient's card, or a generated population's
// (pki/population_cards.hpp). For the rig and `emulate --patient`, which both resolve patients.
#include <string>

#include "onshi/pki/test_pki.hpp"
#include "onshi/population/patient_resolver.hpp"

namespace onshi::rig {

// `pki` must outlive the returned check.
inline population::HasCard cards_in(const pki::TestPki& pki) {
  return [&pki](const std::string& id) { return pki.patients.contains(id) || pki.population_cards.contains(id); };
}

}  // namespace onshi::rig
