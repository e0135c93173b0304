// onshi-hil links: every link kind a rig file can choose and each backend registered for it,
// with the keys its table takes — the answer to "what may I write in [reader] kind?".
#include <iostream>
#include <string>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/ons_backend.hpp"
#include "onshi/links/output_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/links/sut_backend.hpp"

namespace onshi::cli {
namespace {

template <class Backend>
void list(std::ostream& out, const std::string& shared_keys = "") {
  out << "[" << Backend::link << "]\n";
  for (const auto& backend : links::Registry<Backend>::instance().backends()) {
    std::string keys = "kind";
    for (const std::string& key : backend->keys) keys += ", " + key;
    if (!shared_keys.empty()) keys += ", " + shared_keys;
    out << "  kind = \"" << backend->name << "\"\n      " << backend->summary << "\n      keys: " << keys << "\n";
  }
}

}  // namespace

Command add_links_command(CLI::App& app) {
  app.add_subcommand("links", "List the link kinds a rig file can choose, with each backend's keys.");
  return []() {
    list<links::CardBackend>(std::cout);
    list<links::ReaderBackend>(std::cout);
    list<links::OnsBackend>(std::cout, "interface_profile, wire, timeout_ms");
    list<links::OutputBackend>(std::cout);
    list<links::SutBackend>(std::cout);
    return exit_ok;
  };
}

}  // namespace onshi::cli
