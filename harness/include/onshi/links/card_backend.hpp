#pragma once
// The card link: which card the patient presents. Backends: virtual (mocks/card: the
// scenario patient's virtual My Number Card), physical (a test card in a physical reader).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "onshi/flow/scenario.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/links/registry.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"

namespace onshi::links {

struct CardOpenContext {
  const population::Patient& patient;
  const pki::TestPki& pki;
  const flow::CardPlan& plan;
  std::string where;
};

struct CardBackend {
  static constexpr const char* link = "card";
  std::string name;
  std::string summary;
  std::vector<std::string> keys;
  // Keys that once meant something here, with what to write instead (the error says so).
  std::vector<std::pair<std::string, std::string>> retired_keys;
  std::function<std::shared_ptr<const LinkSettings>(const LinkTable&)> parse;
  // The card to put into an emulated reader; null when the card is physical (in the reader).
  std::function<std::shared_ptr<iso7816::Icc>(const LinkSettings&, const CardOpenContext&)> open;
};

using CardRegistry = Registry<CardBackend>;

}  // namespace onshi::links
