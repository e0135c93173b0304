#pragma once
// Who the emulated reader says it is: USB ids, strings and CCID class descriptor values are
// data, so the emulation can pose as the readers people actually use.
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <string>

#include "onshi/ccid/class_descriptor.hpp"

namespace onshi::mocks::reader {

struct ReaderIdentity {
  std::string name = "generic-ccid";
  // QEMU's emulated reader id (GemPC433), known to libccid's reader list.
  std::uint16_t vendor_id = 0x08E6;
  std::uint16_t product_id = 0x4433;
  std::uint16_t bcd_device = 0x0100;
  std::string manufacturer = "onshi-hil";
  std::string product = "onshi-hil emulated CCID reader";
  std::string serial_number = "ONSHI-0001";
  std::uint16_t max_packet_size = 64;  // full-speed bulk
  ccid::ClassDescriptor class_descriptor{};
  // Time-extension DataBlocks (bStatus 0x80) the reader sends before each XfrBlock answer,
  // as a reader waiting for a slow card does.
  unsigned time_extensions_per_exchange = 0;
};

// A reader identity from a TOML file (rigs/readers/*.toml): [usb] ids and strings, [ccid]
// class descriptor values. Throws Error(config) naming the file, line and key.
ReaderIdentity load_reader_identity(const std::filesystem::path& file);
ReaderIdentity parse_reader_identity(std::string_view text, const std::string& name);
// rigs/readers/<name>.toml of the source tree, or the built-in "generic-ccid".
ReaderIdentity reader_identity_by_name(const std::string& name);
std::filesystem::path readers_dir();

}  // namespace onshi::mocks::reader
