// [reader] kind = "usbip": a reader exported by any USB/IP server (Linux usbipd, usbip-win,
// `onshi-hil emulate reader`), imported by the harness's userspace USB/IP client.
#include "onshi/links/reader/remote_reader_settings.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/usbip_protocol.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::links {
namespace {

class UsbipReaderLink final : public ReaderLink {
 public:
  explicit UsbipReaderLink(const UsbipReaderSettings& s)
      : reader_(usb::UsbipTransport::import(parse_host_port(s.server, usb::usbip::default_port), s.busid)) {}
  reader::CardReader& reader() override { return reader_; }

 private:
  reader::CcidCardReader reader_;
};

ReaderBackend usbip_reader_backend() {
  ReaderBackend b;
  b.name = "usbip";
  b.summary = "a CCID reader exported by a USB/IP server (server = HOST[:PORT], busid)";
  b.keys = {"server", "busid"};
  b.parse = [](const LinkTable& t) {
    auto s = std::make_shared<UsbipReaderSettings>();
    s->server = t.required_string("server");
    s->busid = t.required_string("busid");
    parse_host_port(s->server, usb::usbip::default_port);  // a typo fails at load, not mid-run
    return s;
  };
  b.open = [](const LinkSettings& s, ReaderOpenContext) -> std::unique_ptr<ReaderLink> {
    return std::make_unique<UsbipReaderLink>(dynamic_cast<const UsbipReaderSettings&>(s));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(ReaderBackend, usbip_reader_backend())

}  // namespace onshi::links
