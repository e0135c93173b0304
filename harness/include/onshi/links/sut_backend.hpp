#pragma once
// The system-under-test link ([sut]): a vendor's receipt computer or terminal program the
// harness stands opposite (docs/sut.md). Backends: `launched` (the harness starts it, watches
// it and stops it: onshi/sut/sut_process.hpp) and `external` (already running — a Windows PC
// sharing the folders over SMB, a vendor's service — so only its folders and endpoints are
// used). A rig without [sut] has none.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/links/registry.hpp"
#include "onshi/links/sut/sut_settings.hpp"
#include "onshi/sut/exit_status.hpp"

namespace onshi::links {

class SutLink {
 public:
  virtual ~SutLink() = default;
  // "launched: onshi-reference-receipt-computer --folder …" or "external".
  virtual std::string describe() const = 0;
  virtual bool launched() const = 0;
  // Starts it and waits until it is ready (nothing for an external SUT). Throws Error naming
  // the rig, the command and the ready condition (onshi/sut/sut_process.hpp).
  virtual void start() = 0;
  // How it ended, once it has; always nullopt for an external SUT.
  virtual std::optional<sut::ExitStatus> exited() = 0;
  // Stops it (SIGTERM, SIGKILL after stop_timeout) and returns how it ended; nullopt when it
  // was never started or is external.
  virtual std::optional<sut::ExitStatus> stop() = 0;
  virtual bool was_killed() const { return false; }
  // Its process group, -1 when the harness did not start it.
  virtual int process_group() const { return -1; }
  virtual std::chrono::nanoseconds ready_after() const { return {}; }
  // What it wrote, redacted (empty for an external SUT).
  virtual std::string stdout_text() const { return {}; }
  virtual std::string stderr_text() const { return {}; }

  const SutSettings& settings() const { return settings_; }

 protected:
  explicit SutLink(SutSettings settings) : settings_(std::move(settings)) {}
  SutSettings settings_;
};

// What the rig knows when it opens the link: the folders and files a command may name as
// {output} (the [output] root), {pki} (the test PKI) and {rig_dir} (the rig file's folder).
struct SutOpenContext {
  std::filesystem::path output_root;
  std::filesystem::path pki_dir;
  std::filesystem::path rig_dir;
  std::string where;
};

struct SutBackend {
  static constexpr const char* link = "sut";
  std::string name;
  std::string summary;
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, std::string>> retired_keys;
  std::function<std::shared_ptr<const LinkSettings>(const LinkTable&)> parse;
  std::function<std::unique_ptr<SutLink>(const LinkSettings&, const SutOpenContext&)> open;
};

using SutRegistry = Registry<SutBackend>;

// The kind a [sut] table means without `kind`: "external" when it says external = true,
// else "launched".
std::string default_sut_kind(const LinkTable& table);

// Opens the rig's [sut] choice through its backend; Error(config) naming the rig when this
// program has no such backend.
std::unique_ptr<SutLink> open_sut_link(const LinkChoice& choice, const SutOpenContext& context);

}  // namespace onshi::links
