#include "onshi/rig/reception_plan.hpp"

#include "onshi/jpki/card_info.hpp"

namespace onshi::rig {

flow::Reception plan_reception(const std::string& rig_name, const flow::Scenario& scenario,
                               const population::Patient& patient, const pki::TestPki& pki,
                               const std::string& facility_code) {
  flow::Reception reception;
  reception.rig = rig_name;
  reception.scenario = scenario;
  reception.facility_code = facility_code;
  for (const std::string& entry : scenario.pin_entries) {
    reception.pins.push_back(entry == "correct" ? patient.auth_pin : entry);
  }
  reception.collation_number_b = jpki::collation_number_b(patient.birthdate, patient.card_expiry, patient.security_code);
  const pki::Credential& terminal = pki.terminal(facility_code);
  reception.terminal = flow::TerminalCredential{terminal.certificate, terminal.key};
  return reception;
}

}  // namespace onshi::rig
