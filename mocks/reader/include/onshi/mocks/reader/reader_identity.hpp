#pragma once
// Who the emulated reader says it is: USB ids, strings and CCID class descriptor values are
// data, so the emulation can pose as the readers people actually use.
#include <cstdint>
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
};

}  // namespace onshi::mocks::reader
