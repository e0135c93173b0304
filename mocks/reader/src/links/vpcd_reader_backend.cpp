// [reader] kind = "vpcd": the card link's virtual card exported into pcscd's vpcd reader
// (Debian vsmartcard-vpcd) and read back through real PC/SC middleware.
#include "onshi/links/reader_backend.hpp"
#include "onshi/mocks/reader/links/emulated_reader_settings.hpp"
#include "onshi/mocks/reader/vpcd_export.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "reader_fault_keys.hpp"

namespace onshi::mocks::reader {
namespace {

class VpcdReaderLink final : public links::ReaderLink {
 public:
  VpcdReaderLink(const VpcdReaderSettings& s, std::shared_ptr<iso7816::Icc> card)
      : export_(std::move(card), parse_host_port(s.vpcd, vpcd_default_port),
                s.fault == "pull-card" ? s.fault_after_exchanges : 0),
        reader_(onshi::reader::PcscReaderOptions{s.name, onshi::reader::parse_pcsc_protocol(s.protocol)}) {}
  onshi::reader::CardReader& reader() override { return reader_; }

 private:
  VpcdExport export_;
  onshi::reader::PcscCardReader reader_;
};

links::ReaderBackend vpcd_reader_backend() {
  links::ReaderBackend b;
  b.name = "vpcd";
  b.summary = "the virtual card exported to pcscd's vpcd driver, used through PC/SC (vpcd = HOST[:PORT], name, protocol)";
  b.keys = {"vpcd", "name", "protocol", "fault", "fault_after_exchanges"};
  b.hosts_emulated_card = true;
  b.parse = [](const links::LinkTable& t) {
    auto s = std::make_shared<VpcdReaderSettings>();
    s->vpcd = t.string("vpcd", s->vpcd);
    try {
      parse_host_port(s->vpcd, vpcd_default_port);
    } catch (const Error& e) {
      t.fail("vpcd", e.message());
    }
    s->name = t.string("name", s->name);
    s->protocol = t.one_of("protocol", s->protocol, {"any", "t0", "t1"});
    // Only a card we export can be pulled (its socket closed) mid-flow.
    read_fault_keys(t, {"none", "pull-card"}, s->fault, s->fault_after_exchanges);
    return s;
  };
  b.open = [](const links::LinkSettings& s, links::ReaderOpenContext context) -> std::unique_ptr<links::ReaderLink> {
    if (!context.card) throw Error(ErrorCode::config, "a vpcd reader exports the card link's virtual card: [card] kind = \"virtual\"", context.where);
    return std::make_unique<VpcdReaderLink>(dynamic_cast<const VpcdReaderSettings&>(s), std::move(context.card));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(links::ReaderBackend, vpcd_reader_backend())

}  // namespace onshi::mocks::reader
