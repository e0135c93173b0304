#pragma once
// A scenario made concrete for one patient at one facility: the PINs the patient types
// ("correct" resolved to the card's own), what the face reader reads off the card front,
// and the facility terminal's credential for 特定機関認証.
#include <string>

#include "onshi/flow/reception_flow.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::rig {

flow::Reception plan_reception(const std::string& rig_name, const flow::Scenario& scenario,
                               const population::Patient& patient, const pki::TestPki& pki,
                               const std::string& facility_code);

}  // namespace onshi::rig
