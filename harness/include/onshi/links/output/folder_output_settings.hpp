#pragma once
// [output] kind = "folder": the terminal's req/ res/ face/ folders, written and read by the
// harness itself. `dir` is relative to the rig file; without it, ./onshi-out in the working
// directory.
#include <filesystem>

#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/ons/wire_format.hpp"

namespace onshi::links {

struct FolderOutputSettings final : LinkSettings {
  std::filesystem::path dir = "onshi-out";
  // encoding = "utf-8" | "shift_jis": what res/ files are written in (onshi-hil terminal).
  ons::TextEncoding encoding = ons::TextEncoding::utf8;
  std::string where;
};

}  // namespace onshi::links
