#pragma once
// Readers as CTest resources (docs/rig-resources.md). `onshi-hil rig scan --ctest-resources
// FILE` writes one resource of type `ccid_reader` per reader it finds, one slot each; rig tests
// declare RESOURCE_GROUPS "ccid_reader:1", so `ctest --resource-spec-file FILE -j N` never gives
// two tests one reader, and each test learns its reader from the variables CTest sets
// (CTEST_RESOURCE_GROUP_COUNT, CTEST_RESOURCE_GROUP_0_CCID_READER = "id:ID,slots:1").
//
// CTest allows only [a-z0-9_] in an id, so the reader's kind and identity are written with
// every other byte escaped as "_xx" (hex): "usbip/127.0.0.1:3240/1-1" is
// "usbip_2f127_2e0_2e0_2e1_3a3240_2f1_2d1", and decoding gives the reader back exactly.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace onshi::rig {

inline constexpr std::string_view ccid_reader_resource = "ccid_reader";

struct ReaderResource {
  enum class Source { libusb, usbip };
  Source source = Source::libusb;
  std::string address;  // libusb: "VID:PID[:SERIAL]" (hex); usbip: "HOST:PORT"
  std::string busid;    // usbip only

  // "libusb 08e6:4433:ONSHI-0001" or "usbip 127.0.0.1:3240 busid 1-1", for messages.
  std::string describe() const;
  bool operator==(const ReaderResource&) const = default;
};

// The CTest resource id of a reader, and back. Decoding throws Error(malformed_input) naming
// the id when it is not one this encoder writes.
std::string ctest_resource_id(const ReaderResource& reader);
ReaderResource reader_from_ctest_resource_id(std::string_view id);

// The reader CTest allocated to this test (resource group 0's ccid_reader), or nullopt when
// the test runs without a resource spec (CTEST_RESOURCE_GROUP_COUNT unset). Throws
// Error(config) naming the variable when CTest's variables are there but say no reader.
using EnvironmentLookup = std::function<const char*(const char*)>;
std::optional<ReaderResource> ctest_allocated_reader(const EnvironmentLookup& environment);
std::optional<ReaderResource> ctest_allocated_reader();  // from the process environment

}  // namespace onshi::rig
