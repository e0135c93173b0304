#pragma once
// A synthetic patient's whole virtual My Number Card, built from the population and the test
// PKI: the one recipe `onshi-hil run` and `onshi-hil emulate` share.
#include <memory>

#include "onshi/fixtures/population.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::rig {

// Both JPKI credentials come from the test PKI (no key is made here). `plan` may swap in an
// expired user-authentication certificate over the same key.
std::shared_ptr<iso7816::Icc> make_patient_card(const fixtures::Patient& patient, const pki::TestPki& test_pki,
                                                const flow::CardPlan& plan = {});

}  // namespace onshi::rig
