#pragma once
// The ONS link: what answers the terminal's inquiries. Backends: embedded-mock (mocks/ons:
// the mock ONS in this process on loopback), remote (a standalone mock or a verification
// environment, harness/src/links/ons/). The rig reads the client-side keys every kind shares
// (interface_profile, wire) itself.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/links/registry.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::links {

class OnsLink {
 public:
  virtual ~OnsLink() = default;
  // Where and how the harness's client reaches the endpoint: host, port, TLS files.
  virtual void configure_client(ons::OnsClientOptions& client) const = 0;
  // What the ONS side saw after `mark` (an embedded mock's journal), for the run record;
  // endpoints that keep no journal the harness can read return nothing.
  virtual std::uint64_t journal_mark() const { return 0; }
  virtual std::vector<flow::OnsJournalEntry> journal_after(std::uint64_t /*mark*/) const { return {}; }
};

struct OnsOpenContext {
  std::filesystem::path pki_dir;
  const pki::TestPki& pki;
  const population::Population& population;
  std::string facility_code;
  const ons::InterfaceProfile& profile;  // the client's; an embedded mock serves the same
  std::string where;
};

struct OnsBackend {
  static constexpr const char* link = "ons";
  std::string name;
  std::string summary;
  std::vector<std::string> keys;  // besides kind, interface_profile and wire
  // Keys that once meant something here, with what to write instead (the error says so).
  std::vector<std::pair<std::string, std::string>> retired_keys;
  std::function<std::shared_ptr<const LinkSettings>(const LinkTable&)> parse;
  std::function<std::unique_ptr<OnsLink>(const LinkSettings&, const OnsOpenContext&)> open;
};

using OnsRegistry = Registry<OnsBackend>;

}  // namespace onshi::links
