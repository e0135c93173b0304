#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/recipe.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

std::string attribute(const DistinguishedName& name, const std::string& type) {
  for (const auto& a : name) {
    if (a.type == type) return a.value;
  }
  return {};
}

TEST(pkiRecipe, ShippedRecipeLoads) {
  const Recipe recipe = load_recipe();
  EXPECT_EQ(recipe.key_bits, 2048u);
  EXPECT_GT(recipe.ca_validity_days, recipe.leaf_validity_days);
  EXPECT_EQ(recipe.backdate_days, 1);
  EXPECT_EQ(recipe.server_dns_names, std::vector<std::string>{"localhost"});
  EXPECT_EQ(recipe.server_ip_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(attribute(recipe.terminal, "CN"), "onshi-hil terminal {code}");
  EXPECT_EQ(attribute(recipe.patient_auth, "CN"), "{card_id}");
  EXPECT_EQ(attribute(recipe.patient_auth, "C"), "JP");
  // Order is C, ST, L, O, OU, CN whatever the order in the file.
  EXPECT_EQ(recipe.ons_ca.front().type, "C");
  EXPECT_EQ(recipe.ons_ca.back().type, "CN");
  for (const auto* name : {&recipe.ons_ca, &recipe.ons_server, &recipe.terminal_ca, &recipe.terminal,
                           &recipe.foreign_ca, &recipe.jpki_ca, &recipe.patient_auth}) {
    EXPECT_NE(to_string(*name).find("test"), std::string::npos) << to_string(*name) << " should say it is a test";
  }
}

class pkiBadRecipe : public ::testing::Test {
 protected:
  // The shipped recipe with `from` replaced by `to`; returns the error load_recipe throws.
  Error load_modified(const std::string& from, const std::string& to) {
    std::ifstream in(default_recipe_path());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    const auto file = dir_.path() / "recipe.toml";
    std::ofstream(file) << text;
    try {
      load_recipe(file);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error for " << to;
    return Error(ErrorCode::state, "none");
  }
  testing::TempDir dir_;
};

TEST_F(pkiBadRecipe, SmallKeyNamesFileLineAndKey) {
  const Error e = load_modified("key_bits = 2048", "key_bits = 1024");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.context().find("recipe.toml:"), std::string::npos) << e.context();
  EXPECT_NE(e.context().find("key_bits"), std::string::npos) << e.context();
}

TEST_F(pkiBadRecipe, UnknownKeyIsRejected) {
  const Error e = load_modified("leaf_days = 397", "leaf_days = 397\nleef_days = 3");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.context().find("leef_days"), std::string::npos) << e.context();
}

TEST_F(pkiBadRecipe, BadIpAddress) {
  const Error e = load_modified("\"::1\"", "\"::1::2\"");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.message().find("::1::2"), std::string::npos) << e.message();
}

TEST_F(pkiBadRecipe, PlaceholderOutsideItsTemplate) {
  const Error e = load_modified("CN = \"onshi-hil test ONS server CA\"", "CN = \"CA {code}\"");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(e.message().find("{code}"), std::string::npos) << e.message();
}

TEST_F(pkiBadRecipe, MissingSubject) {
  const Error e = load_modified("[subject.jpki_ca]", "[subject.jpki_ca_typo]");
  EXPECT_EQ(e.code(), ErrorCode::config);
}

TEST(pkiDistinguishedName, ExpandsPlaceholders) {
  const DistinguishedName name{{"O", "x"}, {"CN", "t {code} / {code}"}};
  EXPECT_EQ(expand_placeholders(name, {{"code", "1312345678"}}),
            (DistinguishedName{{"O", "x"}, {"CN", "t 1312345678 / 1312345678"}}));
  EXPECT_THROW(expand_placeholders(name, {}), Error);
  EXPECT_EQ(placeholders_in("a {b} c {d}"), (std::vector<std::string>{"b", "d"}));
}

}  // namespace
}  // namespace onshi::pki
