#pragma once
// Card credentials for the patients of a generated population (`onshi-hil pki --population
// FILE --card-certs N|all`), so they can present a card at the mock ONS like the recipe's
// patients: the same JPKI-like CA and certificate shape (card_credentials.hpp), written as
// manifest.json "cards" and enrolled by the mock from there. Two RSA keys per patient make
// this the slow part of the test PKI, hence the batch API with parallel key generation.
#include <cstddef>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/pki/recipe.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki {

// Issues cards, valid from now - backdate to min(JPKI CA's notAfter, now + leaf validity),
// for each of `patient_ids` that has none yet (neither a recipe patient nor a population
// card), generating the keys on `jobs` threads (0: one per hardware thread). Returns how
// many it issued. Throws Error(config) naming an id unfit for a directory name, before any
// key is made.
std::size_t add_population_cards(TestPki& pki, const Recipe& recipe, const std::vector<std::string>& patient_ids,
                                 const Clock& clock = SystemClock::instance(), unsigned jobs = 0);

// Carries `from`'s population cards into a freshly generated `to` (ensure_test_pki replacing
// an unusable PKI): the same keys, certified again by `to`'s JPKI CA, which costs no key
// generation. Cards whose key size is not the recipe's, or whose id is now a recipe
// patient's, are dropped.
void recertify_population_cards(const TestPki& from, TestPki& to, const Recipe& recipe,
                                const Clock& clock = SystemClock::instance());

}  // namespace onshi::pki
