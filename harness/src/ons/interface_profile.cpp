#include "onshi/ons/interface_profile.hpp"

#include "onshi/config/toml_reader.hpp"
#include "onshi/ons/wire_profile.hpp"

namespace onshi::ons {

const InterfaceProfile& default_interface_profile() {
  static const InterfaceProfile profile = [] {
    InterfaceProfile p;
    p.name = "onshi-hil interface profile";
    p.version = "2024.1";
    p.paths.card = std::string(kCardInquiryPath);
    p.paths.search = std::string(kSearchInquiryPath);
    p.paths.medication = "/onshi/v1/information/medication";
    p.paths.checkup = "/onshi/v1/information/checkup";
    p.paths.bulk_submit = "/onshi/v1/bulk/qualification";
    p.paths.bulk_fetch = "/onshi/v1/bulk/qualification/result";
    p.paths.login = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
    return p;
  }();
  return profile;
}

InterfaceProfile load_interface_profile(const std::filesystem::path& file) {
  const config::TomlReader r(file);
  r.only_keys(r.root(), {"name", "version", "paths", "elements", "aliases", "login"});
  InterfaceProfile p;
  p.name = r.required_string(r.root(), "name");
  p.version = r.required_string(r.root(), "version");
  const toml::table& paths = r.required_table(r.root(), "paths");
  r.only_keys(paths, {"card", "search", "medication", "checkup", "bulk_submit", "bulk_fetch", "login", "reference_submit",
                      "reference_fetch"});
  auto path = [&](std::string_view key) {
    std::string v = r.required_string(paths, key);
    if (v.empty() || v.front() != '/') r.fail(*paths.get(key), key, "must start with /");
    return v;
  };
  p.paths = {path("card"),        path("search"),     path("medication"), path("checkup"),
             path("bulk_submit"), path("bulk_fetch"), path("login")};
  if (paths.contains("reference_submit")) p.paths.reference_submit = path("reference_submit");
  if (paths.contains("reference_fetch")) p.paths.reference_fetch = path("reference_fetch");
  auto names = [&](std::string_view table, ElementRenames& into, bool reverse) {
    const toml::table* t = r.optional_table(r.root(), table);
    if (t == nullptr) return;
    for (const auto& [key, node] : *t) {
      const std::string k(key.str());
      const std::string v = r.required_string(*t, k);
      if (v.empty() || k.empty()) r.fail(node, k, "element names must not be empty");
      if (reverse) {
        into[v] = k;
      } else {
        into[k] = v;
      }
    }
  };
  names("elements", p.outbound, false);
  names("elements", p.inbound, true);
  if (const toml::table* aliases = r.optional_table(r.root(), "aliases")) {
    for (const auto& [key, node] : *aliases) {
      const std::string k(key.str());
      p.inbound[k] = r.required_string(*aliases, k);
    }
  }
  if (const toml::table* login = r.optional_table(r.root(), "login")) {
    r.only_keys(*login, {"id_field", "password_field"});
    p.login_id_field = r.optional_string(*login, "id_field", p.login_id_field);
    p.password_field = r.optional_string(*login, "password_field", p.password_field);
  }
  return p;
}

}  // namespace onshi::ons
