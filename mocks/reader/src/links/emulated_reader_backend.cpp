// [reader] kind = "emulated": the emulated USB CCID reader holding the card link's virtual
// card, reached in-process or over USB/IP on loopback (our server exports it, our userspace
// client imports it, so every CCID message crosses CMD_SUBMIT/RET_SUBMIT on TCP).
#include "onshi/links/reader_backend.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/links/emulated_reader_settings.hpp"
#include "onshi/mocks/reader/reader_identity.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/in_process_transport.hpp"
#include "onshi/usb/usbip_transport.hpp"
#include "reader_fault_keys.hpp"

namespace onshi::mocks::reader {
namespace {

using Misbehaviour = EmulatedCcidReader::Misbehaviour;

std::optional<Misbehaviour> misbehaviour_named(const std::string& fault) {
  if (fault == "time-extension-storm") return Misbehaviour::time_extension_storm;
  if (fault == "wrong-length") return Misbehaviour::wrong_length;
  if (fault == "wrong-sequence") return Misbehaviour::wrong_sequence;
  if (fault == "endless-61xx") return Misbehaviour::endless_61xx;
  if (fault == "endless-6cxx") return Misbehaviour::endless_6cxx;
  return std::nullopt;
}

class EmulatedReaderLink final : public links::ReaderLink {
 public:
  EmulatedReaderLink(const EmulatedReaderSettings& s, std::shared_ptr<iso7816::Icc> card)
      : device_(std::make_shared<EmulatedCcidReader>(reader_identity_by_name(s.identity))) {
    if (card) device_->insert_card(std::move(card));
    if (s.fault == "pull-card") device_->pull_card_during_next_exchange(s.fault_after_exchanges);
    if (s.fault == "unplug") device_->unplug_during_next_exchange(s.fault_after_exchanges);
    if (const auto misbehaviour = misbehaviour_named(s.fault)) {
      device_->misbehave_from_exchange(*misbehaviour, s.fault_after_exchanges);
    }
    if (s.transport == "usbip") {
      UsbipServerOptions options;
      if (s.fault == "drop-usbip-mid-urb") options.drop_mid_bulk_in_reply = s.fault_after_exchanges;
      server_ = std::make_unique<UsbipServer>(device_, options);
      server_->start();
      reader_ = std::make_unique<onshi::reader::CcidCardReader>(
          usb::UsbipTransport::import({"127.0.0.1", server_->port()}, server_->options().busid));
    } else {
      reader_ = std::make_unique<onshi::reader::CcidCardReader>(std::make_unique<usb::InProcessTransport>(device_));
    }
  }
  onshi::reader::CardReader& reader() override { return *reader_; }

 private:
  // Destroyed in reverse: the host side disconnects before its server and device go.
  std::shared_ptr<EmulatedCcidReader> device_;
  std::unique_ptr<UsbipServer> server_;
  std::unique_ptr<onshi::reader::CardReader> reader_;
};

links::ReaderBackend emulated_reader_backend() {
  links::ReaderBackend b;
  b.name = "emulated";
  b.summary = "the emulated CCID reader holding the virtual card (transport = in-process|usbip, identity, fault)";
  b.keys = {"transport", "identity", "fault", "fault_after_exchanges"};
  b.hosts_emulated_card = true;
  b.parse = [](const links::LinkTable& t) {
    auto s = std::make_shared<EmulatedReaderSettings>();
    s->transport = t.one_of("transport", s->transport, {"in-process", "usbip"});
    s->identity = t.string("identity", s->identity);
    try {
      reader_identity_by_name(s->identity);  // an unknown identity fails at load, naming the key
    } catch (const Error& e) {
      t.fail("identity", e.message());
    }
    read_fault_keys(t,
                    {"none", "pull-card", "unplug", "time-extension-storm", "wrong-length", "wrong-sequence",
                     "endless-61xx", "endless-6cxx", "drop-usbip-mid-urb"},
                    s->fault, s->fault_after_exchanges);
    if (s->fault == "drop-usbip-mid-urb" && s->transport != "usbip") {
      t.fail("fault", "drop-usbip-mid-urb needs transport = \"usbip\" (there is no connection to drop in-process)");
    }
    return s;
  };
  b.open = [](const links::LinkSettings& s, links::ReaderOpenContext context) -> std::unique_ptr<links::ReaderLink> {
    return std::make_unique<EmulatedReaderLink>(dynamic_cast<const EmulatedReaderSettings&>(s), std::move(context.card));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(links::ReaderBackend, emulated_reader_backend())

}  // namespace onshi::mocks::reader
