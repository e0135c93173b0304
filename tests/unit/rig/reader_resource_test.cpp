// Readers as CTest resources: ids CTest accepts ([a-z0-9_]) that give the reader back
// exactly, and the reader CTest allocated read from its variables, with clear errors.
#include "onshi/rig/reader_resource.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi::rig {
namespace {

ReaderResource usbip(const std::string& address, const std::string& busid) {
  return {ReaderResource::Source::usbip, address, busid};
}
ReaderResource libusb(const std::string& address) { return {ReaderResource::Source::libusb, address, ""}; }

TEST(ReaderResource, IdsUseOnlyWhatCTestAllowsAndDecodeBackExactly) {
  for (const ReaderResource& reader : {usbip("127.0.0.1:3240", "1-1"), usbip("[::1]:40123", "2-1.4"),
                                       libusb("08e6:4433"), libusb("076b:3031:ONSHI-0001_Ab")}) {
    const std::string id = ctest_resource_id(reader);
    EXPECT_TRUE(std::regex_match(id, std::regex("[a-z0-9_]+"))) << id;
    EXPECT_EQ(reader_from_ctest_resource_id(id), reader) << id;
  }
  EXPECT_EQ(ctest_resource_id(usbip("127.0.0.1:3240", "1-1")), "usbip_2f127_2e0_2e0_2e1_3a3240_2f1_2d1");
}

TEST(ReaderResource, DifferentReadersGetDifferentIds) {
  EXPECT_NE(ctest_resource_id(usbip("127.0.0.1:3240", "1-1")), ctest_resource_id(usbip("127.0.0.1:3241", "1-1")));
  EXPECT_NE(ctest_resource_id(libusb("08e6:4433:a")), ctest_resource_id(libusb("08e6:4433:A")));
}

TEST(ReaderResource, BadIdsAreNamedInTheError) {
  for (const char* id : {"usbip_2f127", "libusb", "floppy_2fa", "usbip_zz", "usbip_2", "UPPER"}) {
    try {
      reader_from_ctest_resource_id(id);
      ADD_FAILURE() << id << " decoded";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::malformed_input);
      EXPECT_NE(std::string(e.what()).find(id), std::string::npos) << e.what();
    }
  }
}

TEST(ReaderResource, NoResourceSpecMeansNoAllocatedReader) {
  EXPECT_FALSE(ctest_allocated_reader([](const char*) -> const char* { return nullptr; }).has_value());
}

TEST(ReaderResource, TheAllocatedReaderComesFromCTestsVariables) {
  const std::string id = ctest_resource_id(usbip("127.0.0.1:40001", "1-1"));
  const std::string value = "id:" + id + ",slots:1";
  const std::map<std::string, std::string> env = {{"CTEST_RESOURCE_GROUP_COUNT", "1"},
                                                  {"CTEST_RESOURCE_GROUP_0", "ccid_reader"},
                                                  {"CTEST_RESOURCE_GROUP_0_CCID_READER", value}};
  const auto reader = ctest_allocated_reader([&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(*reader, usbip("127.0.0.1:40001", "1-1"));
  EXPECT_EQ(reader->describe(), "usbip 127.0.0.1:40001 busid 1-1");
}

TEST(ReaderResource, ResourcesWithoutAReaderAreAConfigError) {
  try {
    ctest_allocated_reader([](const char* name) -> const char* {
      return std::string(name) == "CTEST_RESOURCE_GROUP_COUNT" ? "1" : nullptr;
    });
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(std::string(e.what()).find("CTEST_RESOURCE_GROUP_0_CCID_READER"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace onshi::rig
