// USB/IP on the client side: what an exporting server answers — an OP_REP header, device
// records (with interface summaries in OP_REP_DEVLIST), RET_SUBMIT headers with their IN
// data, and the descriptors a host reads through them (configuration, strings).
#include "../fuzz_support.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/usbip_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace usbip = onshi::usb::usbip;
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  const onshi::ByteView in = onshi::fuzz::as_bytes(data + 1, size - 1);
  onshi::fuzz::refusal_is_fine([&] {
    switch (choice % 4) {
      case 0: {  // OP_REP_DEVLIST / OP_REP_IMPORT: header, then records
        (void)usbip::OpHeader::parse(in.subspan(0, std::min(in.size(), usbip::op_header_size)));
        onshi::ByteView rest = in.subspan(std::min(in.size(), usbip::op_header_size));
        for (int n = 0; n < 16 && !rest.empty(); ++n) {
          std::size_t consumed = 0;
          (void)usbip::DeviceRecord::parse(rest, (choice & 0x80) != 0, consumed);
          if (consumed == 0 || consumed > rest.size()) break;
          rest = rest.subspan(consumed);
        }
        break;
      }
      case 1: {  // RET_SUBMIT / RET_UNLINK
        const usbip::UrbHeader urb = usbip::UrbHeader::parse(in.subspan(0, std::min(in.size(), usbip::urb_header_size)));
        (void)urb.payload_size();
        break;
      }
      case 2: {  // a configuration descriptor read in two steps, as a host reads it
        (void)onshi::usb::read_configuration_descriptor([&](std::uint16_t length) {
          return onshi::Bytes(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(length, in.size())));
        });
        break;
      }
      default: (void)onshi::usb::decode_string_descriptor(in); break;
    }
  });
  return 0;
}
