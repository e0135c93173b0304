#pragma once
// The reader link of a rig (docs/architecture.md, "Links"): the CardReader the flow uses, plus whatever must
// stay alive behind it (the emulated reader device, the USB/IP server exporting it). The
// flow sees only reader::CardReader, whichever transport the rig file picks.
#include <memory>

#include "onshi/iso7816/icc.hpp"
#include "onshi/reader/card_reader.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::mocks::reader {
class EmulatedCcidReader;
class UsbipServer;
class VpcdExport;
}  // namespace onshi::mocks::reader

namespace onshi::rig {

struct WiredReader {
  WiredReader();
  ~WiredReader();
  WiredReader(WiredReader&&) noexcept;
  WiredReader& operator=(WiredReader&&) noexcept;

  // Destroyed in reverse order: the host side disconnects before its server and device go.
  std::shared_ptr<mocks::reader::EmulatedCcidReader> device;  // emulated kinds only
  std::unique_ptr<mocks::reader::UsbipServer> server;          // emulated + usbip transport
  std::unique_ptr<mocks::reader::VpcdExport> vpcd;             // pcsc + vpcd: the card, exported into pcscd
  std::unique_ptr<reader::CardReader> reader;
};

// `card` goes into the emulated reader; a remote reader holds its own (physical) card.
// Throws Error(config/device/io) naming the rig file's [reader] link.
WiredReader wire_reader(const ReaderLink& link, std::shared_ptr<iso7816::Icc> card, const std::string& where);

}  // namespace onshi::rig
