#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "onshi/core/error.hpp"
#include "onshi/flow/scenario.hpp"

namespace onshi::flow {
namespace {

std::filesystem::path write_catalogue(const std::string& body) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("onshi-scenarios-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".toml");
  std::ofstream(path) << body;
  return path;
}

TEST(ScenarioIdentity, PinIsTheDefault) {
  const auto s = load_scenarios(write_catalogue("[[scenario]]\nname='a'\npatient='P001'\n"));
  EXPECT_EQ(s.at(0).identity.path, IdentityPath::pin);
  EXPECT_FALSE(s.at(0).card.expired_auth_certificate);
}

TEST(ScenarioIdentity, FacePathWithSeedThresholdAndCameraFault) {
  const auto s = load_scenarios(write_catalogue(
      "[[scenario]]\nname='a'\npatient='P001'\n"
      "identity = { path = 'face', face_seed = 7, face_threshold = 0.25, camera = 'fault', operator_decision = 'confirmed' }\n"
      "card = { auth_certificate = 'expired' }\nexpect = { identity_method = 'visual' }\n"));
  EXPECT_EQ(s.at(0).identity.path, IdentityPath::face);
  EXPECT_EQ(s.at(0).identity.face_seed, 7u);
  EXPECT_DOUBLE_EQ(s.at(0).identity.face_threshold, 0.25);
  EXPECT_TRUE(s.at(0).identity.camera_fault);
  EXPECT_EQ(s.at(0).identity.operator_decision, "confirmed");
  EXPECT_TRUE(s.at(0).card.expired_auth_certificate);
  EXPECT_EQ(s.at(0).expect_identity_method, "visual");
}

TEST(ScenarioIdentity, BadValuesNameTheKey) {
  const auto expect_config_error = [](const std::string& body, const std::string& key) {
    try {
      load_scenarios(write_catalogue("[[scenario]]\nname='a'\npatient='P001'\n" + body));
      ADD_FAILURE() << "accepted: " << body;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config);
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_config_error("identity = { path = 'iris' }\n", "path");
  expect_config_error("identity = { path = 'face', face_threshold = 1.5 }\n", "face_threshold");
  expect_config_error("identity = { path = 'face', camera = 'broken' }\n", "camera");
  expect_config_error("identity = { path = 'visual' }\n", "operator_decision");
  expect_config_error("identity = { path = 'visual', operator_decision = 'maybe' }\n", "operator_decision");
  expect_config_error("card = { auth_certificate = 'revoked' }\n", "auth_certificate");
  expect_config_error("identity = { path = 'face', colour = 'red' }\n", "colour");
}

TEST(ScenarioIdentity, ShippedCatalogueHasEveryIdentityPath) {
  const auto catalogue = load_scenarios(default_scenario_catalogue());
  for (const char* name : {"pin-ok", "pin-wrong-then-ok", "pin-locked", "face-match", "face-miss-then-pin",
                           "camera-fault-visual", "consent-refused", "expired-auth-certificate"}) {
    EXPECT_NO_THROW(find_scenario(catalogue, name)) << name;
  }
}

}  // namespace
}  // namespace onshi::flow
