// CCID messages reader → host: the host driver (harness/ccid) against a reader whose class
// descriptor and every bulk/interrupt IN transfer come from the input. The first bytes set
// bMaxSlotIndex, the exchange level, dwMaxCCIDMessageLength and the slot; then 1-byte length
// frames are what the reader sends, in order, and a last byte picks the host's call.
#include "../fuzz_support.hpp"
#include "onshi/ccid/host_driver.hpp"
#include "onshi/ccid/message.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/usb/usb_transport.hpp"

namespace {

// Descriptors from a real emulated reader of that identity, everything else scripted.
class ScriptedReader final : public onshi::usb::UsbTransport {
 public:
  ScriptedReader(onshi::mocks::reader::ReaderIdentity identity, onshi::fuzz::Frames& frames)
      : device_(std::move(identity)), frames_(frames) {}

  onshi::Bytes control_in(const onshi::usb::SetupPacket& setup, onshi::Duration) override {
    return device_.control_in(setup);
  }
  void control_out(const onshi::usb::SetupPacket&, onshi::ByteView, onshi::Duration) override {}
  void bulk_out(std::uint8_t, onshi::ByteView, onshi::Duration) override {}
  onshi::Bytes bulk_in(std::uint8_t, std::size_t max_length, onshi::Duration) override { return next(max_length); }
  onshi::Bytes interrupt_in(std::uint8_t, std::size_t max_length, onshi::Duration) override { return next(max_length); }
  std::string describe() const override { return "fuzz:scripted"; }

 private:
  onshi::Bytes next(std::size_t max_length) {
    if (frames_.empty()) throw onshi::Error(onshi::ErrorCode::timeout, "script ended");
    onshi::Bytes b = frames_.next();
    if (b.size() > max_length) b.resize(max_length);
    return b;
  }
  onshi::mocks::reader::EmulatedCcidReader device_;
  onshi::fuzz::Frames& frames_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace onshi::ccid;
  if (size < 5) return 0;
  // The codec on its own, on the whole input.
  onshi::fuzz::refusal_is_fine([&] { (void)Message::parse(onshi::fuzz::as_bytes(data, size)); });
  onshi::fuzz::refusal_is_fine([&] { (void)ClassDescriptor::parse(onshi::fuzz::as_bytes(data, size)); });

  onshi::fuzz::Frames frames(data, size);
  onshi::mocks::reader::ReaderIdentity identity;
  identity.class_descriptor.max_slot_index = frames.byte() % 8;
  if (frames.byte() % 2 == 1) {
    identity.class_descriptor.features =
        (identity.class_descriptor.features & ~feature::exchange_level_mask) | feature::exchange_extended_apdu;
  }
  const std::uint8_t length_choice = frames.byte();
  identity.class_descriptor.max_ccid_message_length = length_choice < 128 ? 271u : 10u + length_choice;
  HostDriverOptions options;
  options.slot = static_cast<std::uint8_t>(frames.byte() % 8);
  options.max_time_extensions = 8;
  const std::uint8_t call = frames.byte();
  ScriptedReader transport(identity, frames);
  onshi::fuzz::refusal_is_fine([&] {
    HostDriver driver(transport, options);
    switch (call % 5) {
      case 0: (void)driver.power_on(); break;
      case 1: (void)driver.slot_status(); break;
      case 2: (void)driver.wait_for_slot_change(onshi::Duration::zero()); break;
      case 3: driver.abort(); break;
      default: {
        onshi::Bytes apdu = onshi::from_hex("00B0000000");
        if (call & 0x80) apdu.resize(600, 0x5A);  // long enough to chain at the extended level
        (void)driver.transmit_raw(apdu);
      }
    }
  });
  return 0;
}
