#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::rig {
namespace {

std::string error_of(std::string_view text) {
  try {
    parse_rig(text, "test.toml");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
    return e.what();
  }
  return "(no error)";
}

TEST(RigConfig, DefaultRigFileParses) {
  const RigConfig rig = load_rig(default_rig_file());
  EXPECT_EQ(rig.name, "emulated");
  EXPECT_EQ(rig.facility_code, "1312345678");
  EXPECT_EQ(rig.card.kind, "virtual");
  EXPECT_EQ(rig.reader.kind, "emulated");
  EXPECT_EQ(rig.reader.transport, "in-process");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.scenario, "pin-ok");
}

TEST(RigConfig, MinimalRigTakesDefaults) {
  const RigConfig rig = parse_rig("name = \"m\"\n[facility]\ncode = \"1312345678\"\n", "m.toml");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.output_dir, "onshi-out");
  EXPECT_TRUE(rig.pki_dir.empty());
}

TEST(RigConfig, UnknownKeyNamesFileLineAndKey) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"1312345678\"\ncolour = \"blue\"\n");
  EXPECT_NE(e.find("test.toml:4: key 'colour': unknown key"), std::string::npos) << e;
}

TEST(RigConfig, MissingFacilityTableIsNamed) {
  EXPECT_NE(error_of("name = \"x\"\n").find("missing table [facility]"), std::string::npos);
}

TEST(RigConfig, FacilityCodeMustBeTenDigits) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"13123456AB\"\n");
  EXPECT_NE(e.find("test.toml:3: key 'code'"), std::string::npos) << e;
}

TEST(RigConfig, WrongTypeIsNamed) {
  const std::string e = error_of("name = 5\n[facility]\ncode = \"1312345678\"\n");
  EXPECT_NE(e.find("key 'name': expected a string"), std::string::npos) << e;
}

TEST(RigConfig, RemoteOnsNeedsUrlAndCredentials) {
  const std::string base = "name = \"x\"\n[facility]\ncode = \"1312345678\"\n[ons]\nkind = \"remote\"\n";
  EXPECT_NE(error_of(base).find("missing key 'url'"), std::string::npos);
  EXPECT_NE(error_of(base + "url = \"http://127.0.0.1:1\"\n").find("must start with https://"), std::string::npos);
  const RigConfig rig = parse_rig(base + "url = \"https://127.0.0.1:8443\"\nserver_ca = \"ca.pem\"\n"
                                         "client_cert = \"c.pem\"\nclient_key = \"k.pem\"\n",
                                  "r.toml");
  EXPECT_EQ(rig.ons.url, "https://127.0.0.1:8443");
  EXPECT_EQ(rig.ons.client_key, "k.pem");
}

TEST(RigConfig, UnsupportedOnsKindListsTheSupportedOnes) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"1312345678\"\n[ons]\nkind = \"production\"\n");
  EXPECT_NE(e.find("'production' is not supported (supported: embedded-mock, remote)"), std::string::npos) << e;
}

TEST(RigConfig, OnsWireAndInterfaceProfileDefaultToXmlAndBuiltIn) {
  const RigConfig rig = parse_rig("name = \"m\"\n[facility]\ncode = \"1312345678\"\n[ons]\nthreads = 1\n", "m.toml");
  EXPECT_EQ(rig.ons.wire, "xml");
  EXPECT_TRUE(rig.ons.interface_profile.empty());
}

TEST(RigConfig, OnsWireAndInterfaceProfileAreReadForBothKinds) {
  const std::string base = "name = \"x\"\n[facility]\ncode = \"1312345678\"\n[ons]\n";
  for (const char* wire : {"xml", "xml-sjis", "json"}) {
    const RigConfig rig = parse_rig(base + "wire = \"" + wire + "\"\ninterface_profile = \"p/2025.toml\"\n", "w.toml");
    EXPECT_EQ(rig.ons.wire, wire);
    EXPECT_EQ(rig.ons.interface_profile, "p/2025.toml");
  }
  const RigConfig remote = parse_rig(base + "kind = \"remote\"\nurl = \"https://127.0.0.1:8443\"\nserver_ca = \"ca.pem\"\n"
                                            "client_cert = \"c.pem\"\nclient_key = \"k.pem\"\nwire = \"json\"\n"
                                            "interface_profile = \"/abs/profile-2025.toml\"\n",
                                     "r.toml");
  EXPECT_EQ(remote.ons.wire, "json");
  EXPECT_EQ(remote.ons.interface_profile, "/abs/profile-2025.toml");
}

TEST(RigConfig, UnknownOnsWireNamesFileLineKeyAndTheSupportedOnes) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"1312345678\"\n[ons]\nwire = \"xml-utf16\"\n");
  EXPECT_NE(e.find("test.toml:5: key 'wire'"), std::string::npos) << e;
  EXPECT_NE(e.find("'xml-utf16' is not supported (supported: xml, xml-sjis, json)"), std::string::npos) << e;
}

TEST(RigConfig, OnsInterfaceProfileMustBeAString) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"1312345678\"\n[ons]\ninterface_profile = 2025\n");
  EXPECT_NE(e.find("test.toml:5: key 'interface_profile': expected a string"), std::string::npos) << e;
}

TEST(RigConfig, The2025ShiftJisRigParses) {
  const RigConfig rig = load_rig(default_rig_file().parent_path() / "emulated-2025-sjis.toml");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.ons.wire, "xml-sjis");
  EXPECT_EQ(rig.ons.interface_profile, "../fixtures/ons/profile-2025.toml");
}

TEST(RigConfig, SyntaxErrorCarriesLineAndColumn) {
  const std::string e = error_of("name = \"x\n");
  EXPECT_NE(e.find("test.toml:1:"), std::string::npos) << e;
}

}  // namespace
}  // namespace onshi::rig
