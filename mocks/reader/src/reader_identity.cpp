#include "onshi/mocks/reader/reader_identity.hpp"

#include <cstdlib>
#include <limits>

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::mocks::reader {
namespace {

template <typename T>
T bounded(const config::TomlReader& r, const toml::table& t, std::string_view key, T fallback) {
  const std::int64_t value = r.optional_int(t, key, static_cast<std::int64_t>(fallback));
  if (value < 0 || static_cast<std::uint64_t>(value) > std::numeric_limits<T>::max()) {
    r.fail(*t.get(key), key, "out of range 0.." + std::to_string(std::numeric_limits<T>::max()));
  }
  return static_cast<T>(value);
}

ReaderIdentity read(const config::TomlReader& r) {
  const toml::table& root = r.root();
  r.only_keys(root, {"name", "description", "usb", "ccid", "behaviour"});
  ReaderIdentity id;
  id.name = r.required_string(root, "name");
  const toml::table& usb = r.required_table(root, "usb");
  r.only_keys(usb, {"vendor_id", "product_id", "bcd_device", "manufacturer", "product", "serial_number",
                    "max_packet_size"});
  id.vendor_id = bounded<std::uint16_t>(r, usb, "vendor_id", id.vendor_id);
  id.product_id = bounded<std::uint16_t>(r, usb, "product_id", id.product_id);
  id.bcd_device = bounded<std::uint16_t>(r, usb, "bcd_device", id.bcd_device);
  id.manufacturer = r.optional_string(usb, "manufacturer", id.manufacturer);
  id.product = r.optional_string(usb, "product", id.product);
  id.serial_number = r.optional_string(usb, "serial_number", id.serial_number);
  id.max_packet_size = bounded<std::uint16_t>(r, usb, "max_packet_size", id.max_packet_size);
  if (id.max_packet_size != 8 && id.max_packet_size != 16 && id.max_packet_size != 32 && id.max_packet_size != 64 &&
      id.max_packet_size != 512) {
    r.fail(*usb.get("max_packet_size"), "max_packet_size", "a bulk endpoint packet is 8, 16, 32, 64 or 512 bytes");
  }
  ccid::ClassDescriptor& d = id.class_descriptor;
  if (const toml::table* c = r.optional_table(root, "ccid")) {
    r.only_keys(*c, {"bcd_ccid", "voltage_support", "protocols", "default_clock_khz", "maximum_clock_khz",
                     "data_rate_bps", "max_data_rate_bps", "max_ifsd", "mechanical", "features",
                     "max_ccid_message_length", "pin_support", "max_ccid_busy_slots"});
    d.bcd_ccid = bounded<std::uint16_t>(r, *c, "bcd_ccid", d.bcd_ccid);
    d.voltage_support = bounded<std::uint8_t>(r, *c, "voltage_support", d.voltage_support);
    d.protocols = bounded<std::uint32_t>(r, *c, "protocols", d.protocols);
    d.default_clock_khz = bounded<std::uint32_t>(r, *c, "default_clock_khz", d.default_clock_khz);
    d.maximum_clock_khz = bounded<std::uint32_t>(r, *c, "maximum_clock_khz", d.maximum_clock_khz);
    d.data_rate_bps = bounded<std::uint32_t>(r, *c, "data_rate_bps", d.data_rate_bps);
    d.max_data_rate_bps = bounded<std::uint32_t>(r, *c, "max_data_rate_bps", d.max_data_rate_bps);
    d.max_ifsd = bounded<std::uint32_t>(r, *c, "max_ifsd", d.max_ifsd);
    d.mechanical = bounded<std::uint32_t>(r, *c, "mechanical", d.mechanical);
    d.features = bounded<std::uint32_t>(r, *c, "features", d.features);
    d.max_ccid_message_length = bounded<std::uint32_t>(r, *c, "max_ccid_message_length", d.max_ccid_message_length);
    d.pin_support = bounded<std::uint8_t>(r, *c, "pin_support", d.pin_support);
    d.max_ccid_busy_slots = bounded<std::uint8_t>(r, *c, "max_ccid_busy_slots", d.max_ccid_busy_slots);
    const std::uint32_t level = d.exchange_level();
    if (level != ccid::feature::exchange_short_apdu && level != ccid::feature::exchange_extended_apdu) {
      r.fail(*c->get("features"), "features",
             "the emulated reader works at APDU level: set 0x20000 (short) or 0x40000 (extended)");
    }
    // CCID 5.1 (docs/domain/ccid.md): a short APDU (261 bytes) plus the 10-byte header fits at
    // either level; the host driver refuses an extended-level reader below it, so an identity
    // the emulation accepts is one the harness can drive.
    constexpr std::uint32_t header = static_cast<std::uint32_t>(ccid::header_size);
    constexpr std::uint32_t minimum = 261u + header;
    constexpr std::uint32_t maximum = 65544u + header;
    if (d.max_ccid_message_length < minimum || d.max_ccid_message_length > maximum) {
      const toml::node* at = c->get("max_ccid_message_length");
      r.fail(at ? *at : *c, "max_ccid_message_length",
             std::to_string(d.max_ccid_message_length) + " is outside " + std::to_string(minimum) + ".." +
                 std::to_string(maximum) +
                 " (CCID 5.1: a reader takes at least a short APDU, 261 bytes, plus the 10-byte header, "
                 "at the extended level too; the host driver refuses less)");
    }
  }
  if (const toml::table* b = r.optional_table(root, "behaviour")) {
    r.only_keys(*b, {"time_extensions_per_exchange"});
    id.time_extensions_per_exchange = bounded<std::uint8_t>(r, *b, "time_extensions_per_exchange", 0);
  }
  return id;
}

}  // namespace

ReaderIdentity load_reader_identity(const std::filesystem::path& file) { return read(config::TomlReader(file)); }

ReaderIdentity parse_reader_identity(std::string_view text, const std::string& name) {
  return read(config::TomlReader(text, name));
}

std::filesystem::path readers_dir() { return config::rigs_dir() / "readers"; }

ReaderIdentity reader_identity_by_name(const std::string& name) {
  if (name.empty() || name == "generic-ccid") return ReaderIdentity{};
  if (name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    throw Error(ErrorCode::config, "reader identity names a file in rigs/readers, not a path: '" + name + "'");
  }
  const std::filesystem::path file = readers_dir() / (name + ".toml");
  if (!std::filesystem::exists(file)) {
    throw Error(ErrorCode::not_found, "no reader identity '" + name + "'", file.string());
  }
  return load_reader_identity(file);
}

}  // namespace onshi::mocks::reader
