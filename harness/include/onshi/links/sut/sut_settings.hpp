#pragma once
// What a [sut] table says (docs/sut.md, "Rig keys"), as both SUT backends parse it.
#include <chrono>
#include <filesystem>
#include <string>

#include "onshi/links/link_settings.hpp"
#include "onshi/sut/launch_spec.hpp"

namespace onshi::links {

struct SutSettings : LinkSettings {
  bool external = false;
  // command, env, cwd, ready, ready_timeout, stop_timeout; {output}, {pki} and {rig_dir} in
  // command, env values, cwd and ready.file are filled in when the link is opened.
  sut::LaunchSpec launch;
  // How long the SUT may take to take up a file the harness wrote for it (face/, res/).
  std::chrono::milliseconds consume_deadline{10'000};
  // The SUT answers each face/ result with its own inquiry in req/ (the reference receipt
  // computer does); false: only consumption and the journal are checked.
  bool requests = true;
  // Where the SUT reports what it accepted and rejected (JSON lines, docs/sut.md); empty: it
  // does not, and only consumption is checked. May name {output}.
  std::string journal;
  std::string where;  // "FILE:LINE: [sut]"
};

// Fills {output}, {pki} and {rig_dir} in `text`.
std::string fill_placeholders(const std::string& text, const std::filesystem::path& output_root,
                              const std::filesystem::path& pki_dir, const std::filesystem::path& rig_dir);

}  // namespace onshi::links
