#pragma once
// Information viewing (診療/薬剤・特定健診情報) in the three set-ups a clinic can choose
// (docs/optest.md, "Information viewing"): through the EHR or receipt computer, through a
// separate viewing terminal (閲覧用端末), and on the reception terminal itself. Each set-up is
// a PC with its own client certificate (onshi/pki/pc_credential.hpp; the reception terminal's
// is the facility's own), and each must be refused before the patient consents at the reader
// and answered after — and the ONS journal must show that it was that PC which asked.
//
// The check runs its scenario's patient through the reader twice: once declining medication
// and checkups (so no earlier consent applies), once consenting to both.
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::optest {

struct ViewingSetup {
  std::string name;         // "ehr", "viewing_terminal", "reception_terminal": measurement prefixes
  std::string pc;           // the PC whose certificate it uses; "" = the facility's terminal certificate
  std::string description;  // for the details
};
const std::vector<ViewingSetup>& viewing_setups();

// "" when the check can run on this rig: the per-PC certificates are the test PKI's, and which
// PC asked is read from the embedded mock's journal, so [ons] kind must be "embedded-mock".
std::string why_viewing_cannot_run(const rig::RigConfig& config);

// Throws run::PhaseFailure naming the set-up, the PC and what did not hold; the two receptions
// are appended to `receptions`.
void run_information_viewing(run::PhaseContext& ctx, rig::WiredRig& rig, const std::string& scenario,
                             std::vector<flow::RunRecord>& receptions);

}  // namespace onshi::optest
