// USB/IP on the server side: what an importing host sends — an OP_REQ header and bus id,
// then URB headers (CMD_SUBMIT / CMD_UNLINK) with their OUT data — parsed by the codec
// (harness/usb) and each submitted URB handed to the emulated reader as the server does
// (control on endpoint 0 with the setup packet, bulk OUT/IN otherwise).
#include "../fuzz_support.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/testing/echo_icc.hpp"
#include "onshi/usb/setup_packet.hpp"
#include "onshi/usb/usbip_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace usbip = onshi::usb::usbip;
  onshi::ByteView in = onshi::fuzz::as_bytes(data, size);
  onshi::fuzz::refusal_is_fine([&] {
    const usbip::OpHeader op = usbip::OpHeader::parse(in.subspan(0, std::min<std::size_t>(8, in.size())));
    in = in.subspan(std::min<std::size_t>(8, in.size()));
    if (op.code == usbip::op_req_import && in.size() >= 32) {
      (void)usbip::decode_fixed_string(in.subspan(0, 32));
      in = in.subspan(32);
    }
  });
  onshi::mocks::reader::EmulatedCcidReader reader;
  reader.insert_card(std::make_shared<onshi::testing::EchoIcc>());
  while (in.size() >= 48) {
    const onshi::ByteView header_bytes = in.subspan(0, 48);
    in = in.subspan(48);
    onshi::fuzz::refusal_is_fine([&] {
      const usbip::UrbHeader urb = usbip::UrbHeader::parse(header_bytes);
      const std::size_t payload = std::min(urb.payload_size(), in.size());
      const onshi::ByteView out_data = in.subspan(0, payload);
      in = in.subspan(payload);
      if (urb.command != usbip::cmd_submit) return;
      const auto endpoint = static_cast<std::uint8_t>(urb.ep & 0x0F);
      const bool device_to_host = urb.direction == usbip::direction_in;
      if (endpoint == 0) {
        const auto setup = onshi::usb::SetupPacket::parse(urb.setup);
        if (device_to_host) {
          (void)reader.control_in(setup);
        } else {
          reader.control_out(setup, out_data);
        }
      } else if (device_to_host) {
        (void)reader.bulk_in(static_cast<std::uint8_t>(0x80 | endpoint), urb.transfer_buffer_length,
                             onshi::Duration::zero());
      } else {
        reader.bulk_out(endpoint, out_data);
      }
    });
  }
  return 0;
}
