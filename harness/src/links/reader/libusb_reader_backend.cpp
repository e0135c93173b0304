// [reader] kind = "libusb": a physical CCID reader on this host's USB, driven through libusb
// (pcscd must not hold it).
#include "onshi/links/reader/remote_reader_settings.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/libusb_transport.hpp"

namespace onshi::links {
namespace {

class LibusbReaderLink final : public ReaderLink {
 public:
  explicit LibusbReaderLink(const LibusbReaderSettings& s)
      : reader_(usb::LibusbTransport::open(usb::parse_libusb_selector(s.device))) {}
  reader::CardReader& reader() override { return reader_; }

 private:
  reader::CcidCardReader reader_;
};

ReaderBackend libusb_reader_backend() {
  ReaderBackend b;
  b.name = "libusb";
  b.summary = "a physical CCID reader through libusb (device = VID:PID[:SERIAL], hex)";
  b.keys = {"device"};
  b.parse = [](const LinkTable& t) {
    auto s = std::make_shared<LibusbReaderSettings>();
    s->device = t.required_string("device");
    try {
      usb::parse_libusb_selector(s->device);
    } catch (const Error& e) {
      t.fail("device", e.message());
    }
    return s;
  };
  b.open = [](const LinkSettings& s, ReaderOpenContext) -> std::unique_ptr<ReaderLink> {
    return std::make_unique<LibusbReaderLink>(dynamic_cast<const LibusbReaderSettings&>(s));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(ReaderBackend, libusb_reader_backend())

}  // namespace onshi::links
