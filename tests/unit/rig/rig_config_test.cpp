// Rig files through the link registries: every link's table parsed by the backend its kind
// names, unknown kinds and keys named with file, line and the allowed values, and every
// relative path taken from the rig file's folder.
#include <gtest/gtest.h>

#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/ons/remote_ons_settings.hpp"
#include "onshi/links/ons_backend.hpp"
#include "onshi/links/output/folder_output_settings.hpp"
#include "onshi/links/output_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/mocks/ons/links/embedded_mock_settings.hpp"
#include "onshi/mocks/reader/links/emulated_reader_settings.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::rig {
namespace {

const std::string minimal = "name = \"x\"\n[facility]\ncode = \"1312345678\"\n";

std::string error_of(std::string_view text, const std::string& name = "test.toml") {
  try {
    parse_rig(text, name);
  } catch (const Error& e) {
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
  EXPECT_EQ(rig.reader.settings_as<mocks::reader::EmulatedReaderSettings>().transport, "in-process");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.output.kind, "folder");
  EXPECT_EQ(rig.scenario, "pin-ok");
}

TEST(RigConfig, EveryShippedRigParses) {
  for (const auto& entry : std::filesystem::directory_iterator(default_rig_file().parent_path())) {
    if (entry.path().extension() != ".toml") continue;
    EXPECT_NO_THROW(load_rig(entry.path())) << entry.path();
  }
}

TEST(RigConfig, MinimalRigTakesDefaults) {
  const RigConfig rig = parse_rig(minimal, "m.toml");
  EXPECT_EQ(rig.card.kind, "virtual");
  EXPECT_EQ(rig.reader.kind, "emulated");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.output.kind, "folder");
  // Without [output] dir, the working directory's onshi-out.
  EXPECT_EQ(rig.output.settings_as<links::FolderOutputSettings>().dir, "onshi-out");
  EXPECT_TRUE(rig.pki_dir.empty());
  EXPECT_EQ(rig.ons_client.wire, "xml");
  EXPECT_TRUE(rig.ons_client.interface_profile.empty());
}

TEST(RigConfig, EveryLinkKindHasItsBuiltInBackends) {
  const auto names = [](auto& registry) {
    std::string all;
    for (const std::string& n : registry.names()) all += n + " ";
    return all;
  };
  EXPECT_EQ(names(links::ReaderRegistry::instance()), "emulated libusb pcsc usbip vpcd ");
  EXPECT_EQ(names(links::CardRegistry::instance()), "physical virtual ");
  EXPECT_EQ(names(links::OnsRegistry::instance()), "embedded-mock remote ");
  EXPECT_EQ(names(links::OutputRegistry::instance()), "folder ");
}

TEST(RigConfig, UnknownKindListsTheKnownOnesWithFileLineAndKey) {
  const std::string e = error_of(minimal + "[reader]\nkind = \"carrier-pigeon\"\n");
  EXPECT_NE(e.find("test.toml:5: [reader] key 'kind': unknown reader kind 'carrier-pigeon' "
                   "(known: emulated, libusb, pcsc, usbip, vpcd)"),
            std::string::npos)
      << e;
  const std::string ons = error_of(minimal + "[ons]\nkind = \"production\"\n");
  EXPECT_NE(ons.find("unknown ons kind 'production' (known: embedded-mock, remote)"), std::string::npos) << ons;
}

TEST(RigConfig, AKeyOfAnotherBackendIsNamedWithWhatIsAllowed) {
  const std::string e = error_of(minimal + "[reader]\nkind = \"emulated\"\ndevice = \"08e6:3437\"\n");
  EXPECT_NE(e.find("test.toml:6: [reader] key 'device': unknown key 'device' for reader kind 'emulated' "
                   "(allowed: kind, transport, identity, fault, fault_after_exchanges)"),
            std::string::npos)
      << e;
}

TEST(RigConfig, UnknownTopLevelKeyNamesFileLineAndKey) {
  const std::string e = error_of(minimal + "colour = \"blue\"\n");
  EXPECT_NE(e.find("test.toml:4: key 'colour': unknown key"), std::string::npos) << e;
}

TEST(RigConfig, MissingFacilityTableIsNamed) {
  EXPECT_NE(error_of("name = \"x\"\n").find("missing table [facility]"), std::string::npos);
}

TEST(RigConfig, FacilityCodeMustBeTenDigits) {
  const std::string e = error_of("name = \"x\"\n[facility]\ncode = \"13123456AB\"\n");
  EXPECT_NE(e.find("test.toml:3: key 'code'"), std::string::npos) << e;
  EXPECT_NE(e.find("10 digits"), std::string::npos) << e;
}

TEST(RigConfig, WrongTypeIsNamed) {
  const std::string e = error_of("name = 5\n[facility]\ncode = \"1312345678\"\n");
  EXPECT_NE(e.find("key 'name': expected a string"), std::string::npos) << e;
}

TEST(RigConfig, FaultCountWithoutAFaultIsAnError) {
  const std::string e = error_of(minimal + "[reader]\nfault_after_exchanges = 3\n");
  EXPECT_NE(e.find("test.toml:5: [reader] key 'fault_after_exchanges': set without a fault"), std::string::npos) << e;
  const RigConfig rig = parse_rig(minimal + "[reader]\nfault = \"pull-card\"\nfault_after_exchanges = 3\n", "f.toml");
  EXPECT_EQ(rig.reader.settings_as<mocks::reader::EmulatedReaderSettings>().fault_after_exchanges, 3u);
}

TEST(RigConfig, AnUnknownReaderIdentityIsNamedAtLoad) {
  const std::string e = error_of(minimal + "[reader]\nidentity = \"no-such-reader\"\n");
  EXPECT_NE(e.find("test.toml:5: [reader] key 'identity'"), std::string::npos) << e;
}

TEST(RigConfig, CardAndReaderMustFitTogether) {
  // A physical reader never uses a virtual card; an emulated reader needs one.
  const std::string physical_reader = error_of(minimal + "[reader]\nkind = \"libusb\"\ndevice = \"08e6:3437\"\n");
  EXPECT_NE(physical_reader.find("use [card] kind = \"physical\""), std::string::npos) << physical_reader;
  const std::string emulated_reader = error_of(minimal + "[card]\nkind = \"physical\"\n");
  EXPECT_NE(emulated_reader.find("use kind = \"virtual\""), std::string::npos) << emulated_reader;
}

TEST(RigConfig, RemoteOnsNeedsAnHttpsUrlWithPortAndCredentials) {
  const std::string base = minimal + "[ons]\nkind = \"remote\"\n";
  EXPECT_NE(error_of(base).find("missing key 'url'"), std::string::npos);
  EXPECT_NE(error_of(base + "url = \"http://127.0.0.1:1\"\n").find("must start with https://"), std::string::npos);
  EXPECT_NE(error_of(base + "url = \"https://127.0.0.1\"\n").find("missing port"), std::string::npos);
  EXPECT_NE(error_of(base + "url = \"https://127.0.0.1:8443/onshi\"\n").find("paths come from the interface profile"),
            std::string::npos);
  EXPECT_NE(error_of(base + "url = \"https://127.0.0.1:8443\"\n").find("missing key 'server_ca'"), std::string::npos);
  const RigConfig rig = parse_rig(base + "url = \"https://[::1]:8443\"\nserver_ca = \"ca.pem\"\n"
                                         "client_cert = \"c.pem\"\nclient_key = \"/abs/k.pem\"\n",
                                  "/etc/onshi/site.toml");
  const auto& remote = rig.ons.settings_as<links::RemoteOnsSettings>();
  EXPECT_EQ(remote.endpoint.host, "::1");
  EXPECT_EQ(remote.endpoint.port, 8443);
  EXPECT_EQ(remote.server_ca.resolved, "/etc/onshi/ca.pem");  // relative to the rig file
  EXPECT_EQ(remote.client_key.resolved, "/abs/k.pem");
}

TEST(RigConfig, OnsClientKeysAreReadForEveryKind) {
  const std::string base = minimal + "[ons]\n";
  for (const char* wire : {"xml", "xml-sjis", "json"}) {
    const RigConfig rig =
        parse_rig(base + "wire = \"" + wire + "\"\ninterface_profile = \"p/2025.toml\"\n", "/srv/rigs/w.toml");
    EXPECT_EQ(rig.ons_client.wire, wire);
    EXPECT_EQ(rig.ons_client.interface_profile.written, "p/2025.toml");
    EXPECT_EQ(rig.ons_client.interface_profile.resolved, "/srv/rigs/p/2025.toml");
  }
  const RigConfig remote = parse_rig(base + "kind = \"remote\"\nurl = \"https://127.0.0.1:8443\"\nserver_ca = \"ca.pem\"\n"
                                            "client_cert = \"c.pem\"\nclient_key = \"k.pem\"\nwire = \"json\"\n"
                                            "interface_profile = \"/abs/profile-2025.toml\"\n",
                                     "r.toml");
  EXPECT_EQ(remote.ons_client.wire, "json");
  EXPECT_EQ(remote.ons_client.interface_profile.resolved, "/abs/profile-2025.toml");
}

TEST(RigConfig, UnknownOnsWireNamesFileLineKeyAndTheSupportedOnes) {
  const std::string e = error_of(minimal + "[ons]\nwire = \"xml-utf16\"\n");
  EXPECT_NE(e.find("test.toml:5: [ons] key 'wire'"), std::string::npos) << e;
  EXPECT_NE(e.find("'xml-utf16' is not supported (supported: xml, xml-sjis, json)"), std::string::npos) << e;
}

TEST(RigConfig, OnsInterfaceProfileMustBeAString) {
  const std::string e = error_of(minimal + "[ons]\ninterface_profile = 2025\n");
  EXPECT_NE(e.find("test.toml:5: [ons] key 'interface_profile': expected a string"), std::string::npos) << e;
}

TEST(RigConfig, EmbeddedMockKeysAreBounded) {
  EXPECT_NE(error_of(minimal + "[ons]\nthreads = 0\n").find("key 'threads': must be 1..64"), std::string::npos);
  EXPECT_NE(error_of(minimal + "[ons]\nadmin_port = 70000\n").find("key 'admin_port'"), std::string::npos);
  const RigConfig rig = parse_rig(minimal + "[ons]\nthreads = 3\nfaults = \"plans/x.json\"\n", "/r/rig.toml");
  const auto& mock = rig.ons.settings_as<mocks::ons::EmbeddedMockSettings>();
  EXPECT_EQ(mock.threads, 3u);
  EXPECT_EQ(mock.faults.resolved, "/r/plans/x.json");
}

TEST(RigConfig, The2025ShiftJisRigResolvesItsProfileNextToTheRig) {
  const RigConfig rig = load_rig(default_rig_file().parent_path() / "emulated-2025-sjis.toml");
  EXPECT_EQ(rig.ons.kind, "embedded-mock");
  EXPECT_EQ(rig.ons_client.wire, "xml-sjis");
  EXPECT_EQ(rig.ons_client.interface_profile.written, "../fixtures/ons/profile-2025.toml");
  EXPECT_TRUE(std::filesystem::is_regular_file(rig.ons_client.interface_profile.resolved));
}

TEST(RigConfig, EveryPathIsRelativeToTheRigFile) {
  const RigConfig rig = parse_rig("name = \"x\"\nscenario_catalogue = \"cat.toml\"\n[facility]\ncode = \"1312345678\"\n"
                                  "[pki]\ndir = \"../pki\"\n[output]\ndir = \"out\"\n",
                                  "/labs/a/rig.toml");
  EXPECT_EQ(rig.scenario_catalogue, "/labs/a/cat.toml");
  EXPECT_EQ(rig.pki_dir, "/labs/pki");
  EXPECT_EQ(rig.output.settings_as<links::FolderOutputSettings>().dir, "/labs/a/out");
}

TEST(RigConfig, AMissingFileIsNamedByKeyAndResolvedPathWhenTheRigIsWired) {
  // A copied rig whose server_ca does not exist: the error names the rig, line, key and where
  // it looked, before any connection is tried.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "onshi-rig-paths";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "copied.toml";
  std::ofstream(file) << minimal << "[card]\nkind = \"physical\"\n[reader]\nkind = \"pcsc\"\n"
                      << "[ons]\nkind = \"remote\"\nurl = \"https://127.0.0.1:8443\"\nserver_ca = \"certs/ca.pem\"\n"
                      << "client_cert = \"certs/c.pem\"\nclient_key = \"certs/k.pem\"\n";
  const RigConfig rig = load_rig(file);
  try {
    WiredRig::wire(rig);
    ADD_FAILURE() << "wired with a missing server_ca";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), ErrorCode::not_found) << what;
    EXPECT_NE(what.find(file.string() + ":11: [ons] key 'server_ca'"), std::string::npos) << what;
    EXPECT_NE(what.find("no such file: " + (dir / "certs/ca.pem").string()), std::string::npos) << what;
  }
}

TEST(RigConfig, SyntaxErrorCarriesLineAndColumn) {
  const std::string e = error_of("name = \"x\n");
  EXPECT_NE(e.find("test.toml:1:"), std::string::npos) << e;
}

}  // namespace
}  // namespace onshi::rig
