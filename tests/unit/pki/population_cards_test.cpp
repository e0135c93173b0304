// Cards for a generated population's patients: issued once each by the JPKI-like CA, kept
// apart from the recipe's patients, written to and read from manifest.json "cards", kept by
// ensure_test_pki's reuse and carried (same keys, new certificates) through a regeneration.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/population_cards.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/test_clock.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;

// One facility, one recipe patient and 1024-bit keys: this is about cards, not key sizes.
struct Small {
  population::Population population;
  Recipe recipe = testing::shared_recipe();
  Small() {
    population.facilities.push_back({"1312345678", "one"});
    population.patients.push_back({});
    population.patients.back().id = "P001";
    recipe.key_bits = 1024;
  }
};

TEST(pkiPopulationCards, IssuedOnceEachByTheJpkiCaAndWrittenAsCards) {
  const Small s;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";
  // P001 is the recipe's (it has its card already); G2 is asked twice.
  const TestPki pki = ensure_test_pki(target, s.recipe, s.population, {"G1", "P001", "G2", "G2"});
  ASSERT_EQ(pki.population_cards.size(), 2u);
  EXPECT_EQ(pki.patients.size(), 1u);
  for (const std::string id : {"G1", "G2"}) {
    const CardCredentials& card = pki.population_cards.at(id);
    EXPECT_TRUE(card.auth.key_matches());
    EXPECT_TRUE(card.sign.key_matches());
    EXPECT_TRUE(card.auth.certificate.issued_by(pki.jpki_ca.certificate));
    EXPECT_TRUE(card.sign.certificate.issued_by(pki.jpki_ca.certificate));
    EXPECT_EQ(card.auth.key.bits(), 1024u);
    // Like the recipe's cards: an opaque card id, never the patient id.
    EXPECT_NE(card.auth.certificate.subject().find(card_id(id)), std::string::npos) << card.auth.certificate.subject();
    EXPECT_EQ(card.auth.certificate.subject().find(id + ","), std::string::npos);
    EXPECT_EQ(&pki.patient(id), &card.auth);
    EXPECT_EQ(&pki.patient_signature(id), &card.sign);
  }

  std::ifstream in(PkiPaths(target).manifest());
  const nlohmann::json manifest = nlohmann::json::parse(in);
  EXPECT_EQ(manifest.at("patients").size(), 1u);
  ASSERT_EQ(manifest.at("cards").size(), 2u);
  EXPECT_EQ(manifest["cards"][0]["id"], "G1");
  EXPECT_EQ(manifest["cards"][0]["serial"], pki.population_cards.at("G1").auth.certificate.serial_hex());
  EXPECT_EQ(manifest["cards"][0]["sign_cert"], "patients/G1/sign-cert.pem");

  // Cards do not make the PKI unusable for its recipe population, and a second ensure makes none.
  const TestPki loaded = load_test_pki(target);
  EXPECT_EQ(unusable_reason(loaded, s.recipe, s.population, std::chrono::system_clock::now()), "");
  const TestPki again = ensure_test_pki(target, s.recipe, s.population, {"G1", "G2"});
  EXPECT_EQ(again.population_cards.at("G2").auth.certificate.sha256_fingerprint(),
            pki.population_cards.at("G2").auth.certificate.sha256_fingerprint());
  EXPECT_EQ(load_test_pki(target).population_cards.size(), 2u);
}

TEST(pkiPopulationCards, KeptWithTheirKeysThroughARegeneratedPki) {
  const Small s;
  testing::TempDir dir;
  const fs::path target = dir.path() / "pki";
  const TestPki first = ensure_test_pki(target, s.recipe, s.population, {"G1"});
  // Years later everything has expired: a new CA, the card's keys certified again.
  const onshi::testing::TestClock later(std::chrono::system_clock::now() + std::chrono::hours(24 * 4000));
  const TestPki second = ensure_test_pki(target, s.recipe, s.population, {}, later);
  EXPECT_NE(second.jpki_ca.certificate.sha256_fingerprint(), first.jpki_ca.certificate.sha256_fingerprint());
  ASSERT_EQ(second.population_cards.size(), 1u);
  const CardCredentials& card = second.population_cards.at("G1");
  EXPECT_EQ(card.auth.key.to_pem(), first.population_cards.at("G1").auth.key.to_pem());
  EXPECT_EQ(card.sign.key.to_pem(), first.population_cards.at("G1").sign.key.to_pem());
  EXPECT_TRUE(card.auth.certificate.issued_by(second.jpki_ca.certificate));
  EXPECT_GT(card.auth.certificate.not_after(), later.wall_now());
  EXPECT_EQ(load_test_pki(target).population_cards.size(), 1u);
}

TEST(pkiPopulationCards, AnIdUnfitForADirectoryIsRefusedBeforeAnyKey) {
  const Small s;
  TestPki pki;
  pki.jpki_ca = testing::shared_pki().jpki_ca;
  try {
    add_population_cards(pki, s.recipe, {"G1", "../evil"});
    ADD_FAILURE() << "accepted ../evil";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(e.message().find("../evil"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(pki.population_cards.empty());
}

}  // namespace
}  // namespace onshi::pki
