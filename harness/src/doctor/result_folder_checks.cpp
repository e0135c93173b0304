// The result folders (req/ res/ face/ under [output] dir): each writable, and the free space
// on their file system (docs/doctor.md, "Result folders").
#include <fstream>
#include <system_error>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/links/output_backend.hpp"

namespace onshi::doctor::detail {
namespace {

// Writes and removes a probe file; the reason when that fails.
std::string write_probe(const std::filesystem::path& dir) {
  const auto probe = dir / ".onshi-doctor-probe";
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    if (!out || !(out << "probe\n") || !out.flush()) return "cannot create a file in it";
  }
  std::error_code ec;
  std::filesystem::remove(probe, ec);
  if (ec) return "cannot remove a file from it: " + ec.message();
  return {};
}

}  // namespace

void check_result_folders(Examination& exam) {
  const links::OutputBackend* backend = links::Registry<links::OutputBackend>::instance().find(exam.rig.output.kind);
  if (backend == nullptr) {
    exam.failed("results.folders", "no output backend '" + exam.rig.output.kind + "' in this program",
                "correct [output] kind in " + exam.rig.file.string() + " (known: " +
                    links::known_names<links::OutputBackend>() + ")");
    return;
  }
  std::filesystem::path root;
  try {
    const links::OutputOpenContext context{exam.options.output_dir, "rig " + exam.rig.file.string() + " " + exam.rig.output.where};
    auto link = backend->open(*exam.rig.output.settings, context);
    root = link->results().root();
  } catch (const Error& e) {
    exam.failed("results.folders", "the result folders cannot be made: " + e.message() +
                                       (e.context().empty() ? "" : " (" + e.context() + ")"),
                "make [output] dir exist and writable by the user that runs the terminal, or point it elsewhere");
    return;
  }
  std::string problems;
  for (const char* sub : {"req", "res", "face"}) {
    const auto dir = root / sub;
    const std::string reason = std::filesystem::is_directory(dir) ? write_probe(dir) : "it is missing";
    if (!reason.empty()) problems += (problems.empty() ? "" : "; ") + dir.string() + ": " + reason;
  }
  if (problems.empty()) {
    exam.ok("results.folders", "req/ res/ face/ under " + root.string() + " are writable");
  } else {
    exam.failed("results.folders", "the result folders are not usable: " + problems,
                "give the user that runs the terminal write access to " + root.string() +
                    " (the receipt computer must read it too), or set [output] dir");
  }

  std::error_code ec;
  const auto space = std::filesystem::space(root, ec);
  if (ec) {
    exam.warning("results.free_space", "the free space of " + root.string() + " cannot be read: " + ec.message(),
                 "check the disk holding " + root.string() + " by hand (df)");
    return;
  }
  const double mib = static_cast<double>(space.available) / (1024.0 * 1024.0);
  const double bound = static_cast<double>(exam.options.free_space_warning_bytes) / (1024.0 * 1024.0);
  const auto free = run::Measurement::of("free_space_mib", std::floor(mib), "MiB", run::Limits{0.0, std::nullopt, bound, std::nullopt});
  const std::string what = std::to_string(static_cast<long long>(mib)) + " MiB free on the file system of " + root.string();
  if (space.available < exam.options.free_space_warning_bytes) {
    exam.warning("results.free_space", what + ", under " + std::to_string(static_cast<long long>(bound)) + " MiB",
                 "free space on that disk (old result files in face/ and res/ may be archived) or set [output] dir "
                 "to a larger one",
                 {free});
  } else {
    exam.ok("results.free_space", what, {free});
  }
}

}  // namespace onshi::doctor::detail
