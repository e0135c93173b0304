// [sut] kind = "launched" (the default when the table has a command): the harness starts the
// SUT, waits until it is ready, watches it and stops it (onshi/sut/sut_process.hpp, docs/sut.md).
#include "onshi/core/error.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/sut/sut_process.hpp"
#include "sut_table.hpp"

namespace onshi::links {
namespace {

class LaunchedSutLink final : public SutLink {
 public:
  LaunchedSutLink(SutSettings settings, sut::LaunchSpec spec) : SutLink(std::move(settings)), spec_(std::move(spec)) {}

  std::string describe() const override {
    std::string command;
    for (const std::string& arg : spec_.command) command += (command.empty() ? "" : " ") + arg;
    return "launched: " + command;
  }
  bool launched() const override { return true; }
  void start() override {
    if (!process_) process_ = std::make_unique<sut::SutProcess>(spec_);
  }
  std::optional<sut::ExitStatus> exited() override { return process_ ? process_->exited() : std::nullopt; }
  std::optional<sut::ExitStatus> stop() override {
    if (!process_) return std::nullopt;
    return process_->stop();
  }
  bool was_killed() const override { return process_ && process_->was_killed(); }
  int process_group() const override { return process_ ? process_->pid() : -1; }
  std::chrono::nanoseconds ready_after() const override { return process_ ? process_->ready_after() : std::chrono::nanoseconds{}; }
  std::string stdout_text() const override { return process_ ? process_->stdout_text() : std::string(); }
  std::string stderr_text() const override { return process_ ? process_->stderr_text() : std::string(); }

 private:
  sut::LaunchSpec spec_;
  std::unique_ptr<sut::SutProcess> process_;
};

SutBackend launched_sut_backend() {
  SutBackend b;
  b.name = "launched";
  b.summary = "a SUT the harness starts in its own process group, waits for, watches and stops (command, ready, ...)";
  b.keys = {"external", "command", "env", "cwd", "ready", "ready_timeout", "stop_timeout", "consume_deadline_ms", "journal", "requests"};
  b.parse = [](const LinkTable& t) { return std::make_shared<SutSettings>(parse_sut_table(t, true)); };
  b.open = [](const LinkSettings& s, const SutOpenContext& c) -> std::unique_ptr<SutLink> {
    SutSettings settings = dynamic_cast<const SutSettings&>(s);
    const auto fill = [&c](const std::string& text) { return fill_placeholders(text, c.output_root, c.pki_dir, c.rig_dir); };
    sut::LaunchSpec spec = settings.launch;
    for (std::string& arg : spec.command) arg = fill(arg);
    for (auto& [name, value] : spec.env) value = fill(value);
    spec.cwd = fill(spec.cwd.string());
    spec.ready.file = fill(spec.ready.file.string());
    spec.where = c.where.empty() ? settings.where : c.where;
    settings.journal = fill(settings.journal);
    return std::make_unique<LaunchedSutLink>(std::move(settings), std::move(spec));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(SutBackend, launched_sut_backend())

}  // namespace onshi::links
