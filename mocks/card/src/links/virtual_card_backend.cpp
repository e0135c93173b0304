// [card] kind = "virtual": the scenario patient's whole virtual My Number Card, with both
// JPKI credentials from the test PKI, and the scenario's card faults applied.
#include "onshi/links/card_backend.hpp"
#include "onshi/mocks/card/patient_card.hpp"

namespace onshi::mocks::card {
namespace {

struct VirtualCardSettings final : links::LinkSettings {
  std::filesystem::path state_dir;  // empty: PIN counters in memory only
};

links::CardBackend virtual_card_backend() {
  links::CardBackend b;
  b.name = "virtual";
  b.summary = "the scenario patient's virtual My Number Card (JPKI, 券面事項入力補助AP, 券面AP); state_dir keeps "
              "its PIN counters between runs";
  b.keys = {"state_dir"};
  b.parse = [](const links::LinkTable& t) {
    auto s = std::make_shared<VirtualCardSettings>();
    s->state_dir = t.path("state_dir").resolved;
    return s;
  };
  b.open = [](const links::LinkSettings& settings, const links::CardOpenContext& context) {
    const auto& s = dynamic_cast<const VirtualCardSettings&>(settings);
    PatientCardOptions options{context.plan.expired_auth_certificate, {}};
    if (!s.state_dir.empty()) options.state_file = patient_card_state_file(s.state_dir, context.patient);
    return make_patient_card(context.patient, context.pki, options);
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(links::CardBackend, virtual_card_backend())

}  // namespace onshi::mocks::card
