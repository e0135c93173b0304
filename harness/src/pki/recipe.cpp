#include "onshi/pki/recipe.hpp"

#include <arpa/inet.h>

#include <array>
#include <set>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/population/population.hpp"

namespace onshi::pki {
namespace {

constexpr std::string_view kRecipeSchema = "onshi-hil/test-pki-recipe/1";
// Attribute order in the certificate; also the keys allowed in a [subject.*] table.
constexpr std::array<std::string_view, 6> kSubjectOrder = {"C", "ST", "L", "O", "OU", "CN"};

const toml::node& node_of(const toml::table& t, std::string_view key) { return *t.get(key); }

int positive_days(const config::TomlReader& r, const toml::table& t, std::string_view key, bool allow_zero) {
  const std::int64_t value = r.required_int(t, key);
  if (value < (allow_zero ? 0 : 1) || value > 36500) {
    r.fail(node_of(t, key), key, std::string("expected ") + (allow_zero ? "0" : "1") + "..36500 days");
  }
  return static_cast<int>(value);
}

DistinguishedName read_subject(const config::TomlReader& r, const toml::table& subjects, std::string_view role,
                               const std::set<std::string>& allowed_placeholders) {
  const toml::table& t = r.required_table(subjects, role);
  r.only_keys(t, {"C", "ST", "L", "O", "OU", "CN"});
  DistinguishedName name;
  for (const std::string_view type : kSubjectOrder) {
    if (!t.contains(type)) continue;
    std::string value = r.required_string(t, type);
    if (value.empty()) r.fail(node_of(t, type), type, "empty subject attribute");
    for (const std::string& placeholder : placeholders_in(value)) {
      if (allowed_placeholders.count(placeholder) == 0) {
        std::string allowed;
        for (const auto& a : allowed_placeholders) allowed += (allowed.empty() ? "{" : ", {") + a + "}";
        r.fail(node_of(t, type), type,
               "unknown placeholder {" + placeholder + "} (allowed here: " + (allowed.empty() ? "none" : allowed) +
                   ")");
      }
    }
    if (type == "C" && value.size() != 2) r.fail(node_of(t, type), type, "a country is two letters (\"JP\")");
    name.push_back({std::string(type), std::move(value)});
  }
  if (!t.contains("CN")) throw Error(ErrorCode::config, "missing key 'CN'", r.where(t));
  return name;
}

}  // namespace

std::filesystem::path default_recipe_path() { return config::fixtures_dir() / "pki" / "recipe.toml"; }

Recipe load_recipe(const std::filesystem::path& file) {
  const config::TomlReader r(file);
  const toml::table& root = r.root();
  r.only_keys(root, {"schema", "key_bits", "backdate_days", "validity", "server", "subject"});

  Recipe recipe;
  recipe.source = file;
  if (const std::string schema = r.required_string(root, "schema"); schema != kRecipeSchema) {
    r.fail(node_of(root, "schema"), "schema", "expected \"" + std::string(kRecipeSchema) + "\"");
  }
  const std::int64_t bits = r.required_int(root, "key_bits");
  if (bits < 2048 || bits > 8192 || bits % 8 != 0) {
    r.fail(node_of(root, "key_bits"), "key_bits", "expected an RSA key size of 2048..8192 bits");
  }
  recipe.key_bits = static_cast<unsigned>(bits);
  recipe.backdate_days = static_cast<int>(r.optional_int(root, "backdate_days", 1));
  if (recipe.backdate_days < 0 || recipe.backdate_days > 365) {
    r.fail(node_of(root, "backdate_days"), "backdate_days", "expected 0..365 days");
  }

  const toml::table& validity = r.required_table(root, "validity");
  r.only_keys(validity, {"ca_days", "leaf_days"});
  recipe.ca_validity_days = positive_days(r, validity, "ca_days", false);
  recipe.leaf_validity_days = positive_days(r, validity, "leaf_days", false);

  const toml::table& server = r.required_table(root, "server");
  r.only_keys(server, {"dns", "ip"});
  recipe.server_dns_names = r.optional_string_array(server, "dns");
  recipe.server_ip_addresses = r.optional_string_array(server, "ip");
  if (recipe.server_dns_names.empty() && recipe.server_ip_addresses.empty()) {
    throw Error(ErrorCode::config, "the server certificate needs at least one name in 'dns' or 'ip'", r.where(server));
  }
  for (const auto& ip : recipe.server_ip_addresses) {
    std::array<unsigned char, 16> buffer{};
    if (inet_pton(AF_INET, ip.c_str(), buffer.data()) != 1 && inet_pton(AF_INET6, ip.c_str(), buffer.data()) != 1) {
      r.fail(node_of(server, "ip"), "ip", "not an IPv4 or IPv6 address: '" + ip + "'");
    }
  }

  const toml::table& subjects = r.required_table(root, "subject");
  r.only_keys(subjects, {"ons_ca", "ons_server", "terminal_ca", "terminal", "foreign_ca", "jpki_ca", "patient_auth",
                         "patient_sign", "vendor_ca", "vendor"});
  recipe.ons_ca = read_subject(r, subjects, "ons_ca", {});
  recipe.ons_server = read_subject(r, subjects, "ons_server", {});
  recipe.terminal_ca = read_subject(r, subjects, "terminal_ca", {});
  recipe.terminal = read_subject(r, subjects, "terminal", {"code"});
  recipe.foreign_ca = read_subject(r, subjects, "foreign_ca", {});
  recipe.jpki_ca = read_subject(r, subjects, "jpki_ca", {});
  recipe.patient_auth = read_subject(r, subjects, "patient_auth", {"card_id"});
  recipe.patient_sign = read_subject(r, subjects, "patient_sign", {"card_id"});
  if (r.optional_table(subjects, "vendor_ca") != nullptr) recipe.vendor_ca = read_subject(r, subjects, "vendor_ca", {});
  if (r.optional_table(subjects, "vendor") != nullptr) recipe.vendor = read_subject(r, subjects, "vendor", {});
  return recipe;
}

}  // namespace onshi::pki
