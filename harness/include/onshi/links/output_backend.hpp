#pragma once
// The receipt-computer link: where the terminal's result files go and who reads them.
// Backend: folder (the harness writes and reads req/ res/ face/ itself). A receipt computer
// or terminal under test adds its own backend here.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "onshi/flow/result_folder.hpp"
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/links/registry.hpp"
#include "onshi/ons/wire_format.hpp"

namespace onshi::links {

class OutputLink {
 public:
  virtual ~OutputLink() = default;
  virtual flow::ResultFolder& results() = 0;
  // The encoding of the files the terminal writes for the receipt computer ([output] encoding).
  virtual ons::TextEncoding encoding() const { return ons::TextEncoding::utf8; }
};

struct OutputOpenContext {
  std::optional<std::filesystem::path> dir_override;  // `run --output DIR`
  std::string where;
};

struct OutputBackend {
  static constexpr const char* link = "output";
  std::string name;
  std::string summary;
  std::vector<std::string> keys;
  // Keys that once meant something here, with what to write instead (the error says so).
  std::vector<std::pair<std::string, std::string>> retired_keys;
  std::function<std::shared_ptr<const LinkSettings>(const LinkTable&)> parse;
  std::function<std::unique_ptr<OutputLink>(const LinkSettings&, const OutputOpenContext&)> open;
};

using OutputRegistry = Registry<OutputBackend>;

}  // namespace onshi::links
