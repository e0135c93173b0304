// [card] kind = "virtual": the scenario patient's whole virtual My Number Card, with both
// JPKI credentials from the test PKI, and the scenario's card faults applied.
#include "onshi/links/card_backend.hpp"
#include "onshi/mocks/card/patient_card.hpp"

namespace onshi::mocks::card {
namespace {

struct VirtualCardSettings final : links::LinkSettings {};

links::CardBackend virtual_card_backend() {
  links::CardBackend b;
  b.name = "virtual";
  b.summary = "the scenario patient's virtual My Number Card (JPKI, 券面事項入力補助AP, 券面AP)";
  b.parse = [](const links::LinkTable&) { return std::make_shared<VirtualCardSettings>(); };
  b.open = [](const links::LinkSettings&, const links::CardOpenContext& context) {
    return make_patient_card(context.patient, context.pki, {context.plan.expired_auth_certificate});
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(links::CardBackend, virtual_card_backend())

}  // namespace onshi::mocks::card
