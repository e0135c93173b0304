#include "reader_link.hpp"

#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/mocks/reader/vpcd_export.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "onshi/usb/in_process_transport.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "onshi/usb/usbip_protocol.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::rig {

WiredReader::WiredReader() = default;
WiredReader::~WiredReader() = default;
WiredReader::WiredReader(WiredReader&&) noexcept = default;
WiredReader& WiredReader::operator=(WiredReader&&) noexcept = default;

WiredReader wire_reader(const ReaderLink& link, std::shared_ptr<iso7816::Icc> card, const std::string& where) {
  WiredReader wired;
  const std::string context = where + " [reader] kind=" + link.kind + " transport=" + link.transport;
  try {
    if (link.kind == "emulated") {
      wired.device = std::make_shared<mocks::reader::EmulatedCcidReader>(
          mocks::reader::reader_identity_by_name(link.identity));
      if (card) wired.device->insert_card(std::move(card));
      if (link.fault == "pull-card") wired.device->pull_card_during_next_exchange(link.fault_after_exchanges);
      if (link.fault == "unplug") wired.device->unplug_during_next_exchange(link.fault_after_exchanges);
      if (link.transport == "in-process") {
        wired.reader = std::make_unique<reader::CcidCardReader>(std::make_unique<usb::InProcessTransport>(wired.device));
      } else if (link.transport == "usbip") {
        // The real protocol over loopback TCP: our USB/IP server exports the emulated reader,
        // our userspace USB/IP client imports it.
        wired.server = std::make_unique<mocks::reader::UsbipServer>(wired.device);
        wired.server->start();
        wired.reader = std::make_unique<reader::CcidCardReader>(usb::UsbipTransport::import(
            {"127.0.0.1", wired.server->port()}, wired.server->options().busid));
      } else {
        throw Error(ErrorCode::config, "unknown transport for an emulated reader", context);
      }
    } else if (link.kind == "usbip") {
      wired.reader = std::make_unique<reader::CcidCardReader>(
          usb::UsbipTransport::import(usb::parse_host_port(link.server, usb::usbip::default_port), link.busid));
    } else if (link.kind == "libusb") {
      wired.reader = std::make_unique<reader::CcidCardReader>(
          usb::LibusbTransport::open(usb::parse_libusb_selector(link.device)));
    } else if (link.kind == "pcsc") {
      if (!link.vpcd.empty()) {
        // Our virtual card into pcscd's vpcd reader, read back through real PC/SC middleware.
        const unsigned pull_at = link.fault == "pull-card" ? link.fault_after_exchanges : 0;
        wired.vpcd = std::make_unique<mocks::reader::VpcdExport>(
            std::move(card), usb::parse_host_port(link.vpcd, mocks::reader::vpcd_default_port), pull_at);
      }
      wired.reader = std::make_unique<reader::PcscCardReader>(
          reader::PcscReaderOptions{link.name, reader::parse_pcsc_protocol(link.protocol)});
    } else {
      throw Error(ErrorCode::config, "unknown reader kind", context);
    }
  } catch (const Error& e) {
    if (e.context().find(where) != std::string::npos) throw;
    throw Error(e.code(), e.message(), context + ": " + e.context());
  }
  return wired;
}

}  // namespace onshi::rig
