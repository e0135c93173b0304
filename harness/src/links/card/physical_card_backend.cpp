// [card] kind = "physical": a test card the lab put into a physical reader. The harness makes
// no card; the reader link must be one that reads a real card (libusb, usbip, pcsc).
#include "onshi/links/card_backend.hpp"

namespace onshi::links {
namespace {

struct PhysicalCardSettings final : LinkSettings {};

CardBackend physical_card_backend() {
  CardBackend b;
  b.name = "physical";
  b.summary = "a physical test card, already in the reader";
  b.parse = [](const LinkTable&) { return std::make_shared<PhysicalCardSettings>(); };
  b.open = [](const LinkSettings&, const CardOpenContext&) -> std::shared_ptr<iso7816::Icc> { return nullptr; };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(CardBackend, physical_card_backend())

}  // namespace onshi::links
