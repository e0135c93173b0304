// onshi-hil rig scan: the CCID readers the harness can reach, with VID:PID, serial and a
// summary of each CCID class descriptor. Sources: this host's USB through libusb, and USB/IP
// hosts (--usbip, repeatable). --ctest-resources FILE also writes them as a CTest resource
// specification, one `ccid_reader` slot each, for `ctest --resource-spec-file FILE -L rig`
// (onshi/rig/reader_resource.hpp, docs/rig-resources.md).
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
#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/rig/reader_resource.hpp"
#include "onshi/usb/descriptors.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi::cli {
namespace {

using namespace std::chrono_literals;

struct ScanOptions {
  std::vector<std::string> usbip_hosts;
  bool json = false;
  std::string ctest_resources;  // FILE to write the CTest resource spec to; empty: none
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

// The readers a test can be given: those whose descriptors could be read, each by the
// identity a rig test opens it with (libusb VID:PID[:SERIAL], USB/IP HOST:PORT and busid).
// Two libusb readers with the same VID:PID and no serial cannot be told apart: one is listed.
std::vector<rig::ReaderResource> resources_of(const nlohmann::json& readers, std::vector<std::string>& notes) {
  std::vector<rig::ReaderResource> resources;
  for (const auto& r : readers) {
    rig::ReaderResource resource;
    if (r.contains("error")) {
      notes.push_back("not listed (unreadable): " + r["host"].get<std::string>() + " busid " + r["busid"].get<std::string>());
      continue;
    }
    if (r["source"] == "usbip") {
      resource.source = rig::ReaderResource::Source::usbip;
      resource.address = r["host"].get<std::string>();
      resource.busid = r["busid"].get<std::string>();
    } else {
      const std::string serial = r.value("serial", "");
      resource.address = r["vid_pid"].get<std::string>() + (serial.empty() ? "" : ":" + serial);
    }
    bool seen = false;
    for (const auto& other : resources) seen = seen || other == resource;
    if (seen) {
      notes.push_back("not listed twice (same identity, no serial to tell them apart): " + resource.describe());
      continue;
    }
    resources.push_back(resource);
  }
  return resources;
}

void write_ctest_resources(const std::string& file, const nlohmann::json& readers, std::ostream& report) {
  std::vector<std::string> notes;
  nlohmann::json slots = nlohmann::json::array();
  const auto resources = resources_of(readers, notes);
  for (const auto& r : resources) slots.push_back({{"id", rig::ctest_resource_id(r)}, {"slots", 1}});
  nlohmann::json local = nlohmann::json::object();
  local[std::string(rig::ccid_reader_resource)] = slots;
  nlohmann::json spec = nlohmann::json::object();
  spec["version"] = {{"major", 1}, {"minor", 0}};
  spec["local"] = nlohmann::json::array({local});
  write_file_atomically(file, spec.dump(2) + "\n");
  report << "ctest resources: " << file << ": " << resources.size() << " " << rig::ccid_reader_resource
         << (resources.size() == 1 ? "" : "s") << "\n";
  for (const auto& r : resources) report << "  " << rig::ctest_resource_id(r) << "  " << r.describe() << "\n";
  for (const auto& note : notes) report << "  " << note << "\n";
  if (resources.empty()) report << "  no reader: rig tests given this spec cannot start (ctest says: insufficient resources)\n";
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
  if (!options.ctest_resources.empty()) {
    // With --json the spec's summary goes to stderr, so stdout stays one JSON document.
    write_ctest_resources(options.ctest_resources, readers, options.json ? std::cerr : std::cout);
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
  scan_cmd->add_option("--ctest-resources", options->ctest_resources,
                       "also write the readers found as a CTest resource spec (ccid_reader, one slot each)\n"
                       "for ctest --resource-spec-file FILE -L rig (docs/rig-resources.md)");
  return [options]() { return scan(*options); };
}

}  // namespace onshi::cli
