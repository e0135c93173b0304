#pragma once
// How the mock ONS turns a synthetic patient's insurance record (fixtures/population) into
// a ResultOfQualificationConfirmation, and stamps the consents given at reception.
#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/qualification_result.hpp"

namespace onshi::mocks::ons {

// Throws Error(config) naming the patient and field when a code in the record is unknown.
onshi::ons::QualificationRecord qualification_record(const population::Patient& patient);
onshi::ons::QualificationValidity qualification_validity(const population::Patient& patient);

// Echoes each asked consent; a given consent gets ConsTime = now (JST) and, for the
// information items, AvailableTime = now + 24 h. 限度額 consent also attaches the patient's
// limit certificate, if any.
void apply_consents(onshi::ons::QualificationRecord& record, const population::Patient& patient,
                    const onshi::ons::ConsentChoices& consents, WallTime now);

}  // namespace onshi::mocks::ons
