#include "onshi/rig/rig_config.hpp"

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/ons_backend.hpp"
#include "onshi/links/output_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/ons/medical_institution_code.hpp"

namespace onshi::rig {
namespace {

// The backend a link table names, its keys checked and its table parsed by it.
template <class Backend>
links::LinkChoice choose_link(const config::TomlReader& r, std::string_view section, std::string default_kind,
                              const std::vector<std::string>& shared_keys = {}) {
  const toml::table* table = r.optional_table(r.root(), section);
  const links::LinkTable t(r, table, std::string(section));
  links::LinkChoice choice;
  choice.kind = t.string("kind", std::move(default_kind));
  choice.where = t.where();
  const Backend* backend = links::Registry<Backend>::instance().find(choice.kind);
  if (backend == nullptr) {
    throw Error(ErrorCode::config,
                "unknown " + std::string(Backend::link) + " kind '" + choice.kind + "' (known: " +
                    links::known_names<Backend>() + ")",
                t.where("kind"));
  }
  if (table != nullptr) {
    for (const auto& [key, node] : *table) {
      const std::string_view k = key.str();
      bool known = k == "kind";
      for (const std::string& allowed : backend->keys) known = known || k == allowed;
      for (const std::string& allowed : shared_keys) known = known || k == allowed;
      for (const auto& [retired, hint] : backend->retired_keys) {
        if (k == retired) throw Error(ErrorCode::config, hint, t.where(k));
      }
      if (!known) {
        std::string list = "kind";
        for (const std::string& allowed : backend->keys) list += ", " + allowed;
        for (const std::string& allowed : shared_keys) list += ", " + allowed;
        throw Error(ErrorCode::config,
                    "unknown key '" + std::string(k) + "' for " + std::string(Backend::link) + " kind '" + choice.kind +
                        "' (allowed: " + list + ")",
                    t.where(k));
      }
    }
  }
  choice.settings = backend->parse(t);
  return choice;
}

RigConfig read(const config::TomlReader& r) {
  const toml::table& root = r.root();
  r.only_keys(root, {"name", "description", "scenario", "scenario_catalogue", "facility", "card", "reader", "ons",
                     "pki", "output", "sut"});
  RigConfig rig;
  rig.file = r.name();
  rig.name = r.required_string(root, "name");
  rig.description = r.optional_string(root, "description");
  rig.scenario = r.optional_string(root, "scenario", rig.scenario);
  const links::LinkTable top(r, &root, "rig");
  rig.scenario_catalogue = top.path("scenario_catalogue").resolved;

  const toml::table& facility = r.required_table(root, "facility");
  r.only_keys(facility, {"code"});
  rig.facility_code = r.required_string(facility, "code");
  if (const auto problem = ons::medical_institution_code_problem(rig.facility_code)) {
    r.fail(*facility.get("code"), "code", *problem);
  }

  rig.card = choose_link<links::CardBackend>(r, "card", "virtual");
  rig.reader = choose_link<links::ReaderBackend>(r, "reader", "emulated");
  rig.ons = choose_link<links::OnsBackend>(r, "ons", "embedded-mock", {"interface_profile", "wire", "timeout_ms"});
  rig.output = choose_link<links::OutputBackend>(r, "output", "folder");
  if (const toml::table* sut = r.optional_table(root, "sut")) {
    rig.sut = choose_link<links::SutBackend>(r, "sut", links::default_sut_kind(links::LinkTable(r, sut, "sut")));
  }

  const links::LinkTable ons(r, r.optional_table(root, "ons"), "ons");
  rig.ons_client.interface_profile = ons.path("interface_profile");
  rig.ons_client.wire = ons.one_of("wire", rig.ons_client.wire, {"xml", "xml-sjis", "json"});
  rig.ons_client.timeout_ms = ons.integer("timeout_ms", rig.ons_client.timeout_ms, 1, 600'000);

  // A reader that holds an emulated card needs one, and a virtual card needs such a reader.
  const links::ReaderBackend& reader = *links::ReaderRegistry::instance().find(rig.reader.kind);
  const bool card_emulated = rig.card.kind != "physical";
  if (reader.hosts_emulated_card && !card_emulated) {
    throw Error(ErrorCode::config,
                "[reader] kind '" + rig.reader.kind + "' holds an emulated card, but [card] kind is '" + rig.card.kind +
                    "' (use kind = \"virtual\")",
                rig.card.where);
  }
  if (!reader.hosts_emulated_card && card_emulated) {
    throw Error(ErrorCode::config,
                "[reader] kind '" + rig.reader.kind + "' reads the card it holds; a " + rig.card.kind +
                    " card would never be used (use [card] kind = \"physical\")",
                rig.card.where);
  }

  if (const toml::table* pki = r.optional_table(root, "pki")) {
    r.only_keys(*pki, {"dir", "crl", "crl_issuer"});
    const links::LinkTable table(r, pki, "pki");
    rig.pki_dir = table.path("dir").resolved;
    rig.crl_file = table.path("crl").resolved;  // a missing file is the doctor's finding, not a load error
    rig.crl_issuer_file = table.path("crl_issuer").resolved;
  }
  return rig;
}

}  // namespace

RigConfig load_rig(const std::filesystem::path& file) { return read(config::TomlReader(file)); }

RigConfig parse_rig(std::string_view text, const std::string& name) { return read(config::TomlReader(text, name)); }

std::filesystem::path default_rig_file() { return config::rigs_dir() / "emulated.toml"; }

}  // namespace onshi::rig
