// onshi-hil rig scan: the CCID readers the harness can reach, with VID:PID, serial and a
// summary of each CCID class descriptor. Sources: this host's USB through libusb, and USB/IP
// hosts (--usbip, repeatable).
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/ccid/class_descriptor.hpp"
#include "onshi/ccid/constants.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::cli {
namespace {

using namespace std::chrono_literals;

struct ScanOptions {
  std::vector<std::string> usbip_hosts;
  bool json = false;
};

std::string hex4(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", v);
  return text;
}

std::string exchange_level_name(std::uint32_t level) {
  switch (level) {
    case ccid::feature::exchange_character: return "character";
    case ccid::feature::exchange_tpdu: return "TPDU";
    case ccid::feature::exchange_short_apdu: return "short APDU";
    case ccid::feature::exchange_extended_apdu: return "extended APDU";
    default: return "unknown";
  }
}

nlohmann::json summary(const ccid::ClassDescriptor& c) {
  return {{"bcdCCID", hex4(c.bcd_ccid)},
          {"slots", c.max_slot_index + 1},
          {"protocols", std::string(c.protocols & 1 ? "T=0 " : "") + (c.protocols & 2 ? "T=1" : "")},
          {"exchange_level", exchange_level_name(c.exchange_level())},
          {"features", "0x" + hex4(static_cast<std::uint16_t>(c.features >> 16)) + hex4(static_cast<std::uint16_t>(c.features))},
          {"max_message_length", c.max_ccid_message_length},
          {"pin_support", c.pin_support}};
}

// Imports the device briefly to read what OP_REQ_DEVLIST does not carry: strings and the
// CCID class descriptor.
nlohmann::json probe(const HostPort& host, const usb::usbip::DeviceRecord& record) {
  nlohmann::json j;
  j["source"] = "usbip";
  j["host"] = host.to_string();
  j["busid"] = record.busid;
  j["vid_pid"] = hex4(record.vendor_id) + ":" + hex4(record.product_id);
  try {
    auto t = usb::UsbipTransport::import(host, record.busid, 5s);
    const usb::DeviceDescriptor d = usb::DeviceDescriptor::parse(
        t->control_in(usb::get_descriptor_request(usb::descriptor_type::device, 0, 18), 2s));
    auto string_at = [&](std::uint8_t index) -> std::string {
      if (index == 0) return "";
      return usb::decode_string_descriptor(
          t->control_in(usb::get_descriptor_request(usb::descriptor_type::string, index, 255, 0x0409), 2s));
    };
    j["manufacturer"] = string_at(d.manufacturer_index);
    j["product"] = string_at(d.product_index);
    j["serial"] = string_at(d.serial_number_index);
    const usb::ConfigurationDescriptor config = usb::read_configuration_descriptor([&](std::uint16_t length) {
      return t->control_in(usb::get_descriptor_request(usb::descriptor_type::configuration, 0, length), 2s);
    });
    if (const usb::InterfaceDescriptor* i = config.find_interface_by_class(ccid::interface_class)) {
      j["ccid"] = summary(ccid::ClassDescriptor::parse(i->class_specific));
    }
  } catch (const Error& e) {
    j["error"] = e.what();
  }
  return j;
}

int scan(const ScanOptions& options) {
  nlohmann::json readers = nlohmann::json::array();
  nlohmann::json sources = nlohmann::json::array();
  bool failed = false;
  try {
    const auto devices = usb::libusb_list_devices(true);
    sources.push_back({{"source", "libusb"}, {"status", "ok"}, {"usb_devices", devices.size()}});
    for (const auto& d : devices) {
      const usb::InterfaceDescriptor* i = d.configuration.find_interface_by_class(ccid::interface_class);
      if (i == nullptr) continue;
      nlohmann::json j;
      j["source"] = "libusb";
      j["host"] = "local";
      j["busid"] = d.port_path;
      j["vid_pid"] = hex4(d.device.vendor_id) + ":" + hex4(d.device.product_id);
      j["manufacturer"] = d.manufacturer;
      j["product"] = d.product;
      j["serial"] = d.serial;
      if (!d.open_error.empty()) j["note"] = d.open_error;
      try {
        j["ccid"] = summary(ccid::ClassDescriptor::parse(i->class_specific));
      } catch (const Error& e) {
        j["error"] = e.what();
      }
      readers.push_back(j);
    }
  } catch (const Error& e) {
    sources.push_back({{"source", "libusb"}, {"status", std::string("unavailable: ") + e.what()}});
  }
  for (const std::string& text : options.usbip_hosts) {
    const HostPort host = parse_host_port(text, usb::usbip::default_port);
    try {
      const auto devices = usb::usbip_list_devices(host, 5s);
      sources.push_back({{"source", "usbip"}, {"host", host.to_string()}, {"status", "ok"},
                         {"exported_devices", devices.size()}});
      for (const auto& d : devices) {
        bool is_ccid = false;
        for (const auto& i : d.interfaces) is_ccid = is_ccid || i.interface_class == ccid::interface_class;
        if (is_ccid) readers.push_back(probe(host, d));
      }
    } catch (const Error& e) {
      failed = true;
      sources.push_back({{"source", "usbip"}, {"host", host.to_string()}, {"status", std::string("error: ") + e.what()}});
    }
  }
  if (options.json) {
    std::cout << nlohmann::json{{"readers", readers}, {"sources", sources}}.dump(2) << std::endl;
  } else {
    for (const auto& s : sources) {
      std::cout << "source " << s["source"].get<std::string>()
                << (s.contains("host") ? " " + s["host"].get<std::string>() : "") << ": "
                << s["status"].get<std::string>() << "\n";
    }
    if (readers.empty()) std::cout << "no CCID readers found\n";
    for (const auto& r : readers) {
      std::cout << r["source"].get<std::string>() << " " << r["host"].get<std::string>() << " busid "
                << r["busid"].get<std::string>() << "  " << r["vid_pid"].get<std::string>();
      if (r.contains("error")) {
        std::cout << "  (could not import: " << r["error"].get<std::string>() << ")\n";
        continue;
      }
      std::cout << "  serial " << r.value("serial", "") << "  " << r.value("product", "") << "\n";
      if (r.contains("ccid")) {
        const auto& c = r["ccid"];
        std::cout << "    CCID " << c["bcdCCID"].get<std::string>() << ", " << c["slots"].get<int>() << " slot(s), "
                  << c["protocols"].get<std::string>() << ", " << c["exchange_level"].get<std::string>()
                  << " level, dwFeatures " << c["features"].get<std::string>() << ", max message "
                  << c["max_message_length"].get<unsigned>() << " bytes\n";
      }
    }
    std::cout.flush();
  }
  return failed ? exit_environment : exit_ok;
}

}  // namespace

Command add_rig_command(CLI::App& app) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* rig = app.add_subcommand("rig", "Inspect what a rig can reach.");
  rig->require_subcommand(1);
  CLI::App* scan_cmd = rig->add_subcommand("scan", "List the CCID readers visible through libusb and on USB/IP hosts,\n"
                                                   "with VID:PID, serial and a summary of the CCID class descriptor.");
  scan_cmd->add_option("--usbip", options->usbip_hosts, "USB/IP host HOST[:PORT] to ask (repeatable; port 3240 by default)");
  scan_cmd->add_flag("--json", options->json, "machine-readable output");
  return [options]() { return scan(*options); };
}

}  // namespace onshi::cli
