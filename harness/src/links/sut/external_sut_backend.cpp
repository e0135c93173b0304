// [sut] external = true: a SUT that is already running (a Windows PC sharing the folders over
// SMB, a vendor's service). The harness neither starts nor stops it; it only uses the rig's
// folders and endpoints (docs/sut.md).
#include "onshi/links/sut_backend.hpp"
#include "sut_table.hpp"

namespace onshi::links {
namespace {

class ExternalSutLink final : public SutLink {
 public:
  explicit ExternalSutLink(SutSettings settings) : SutLink(std::move(settings)) {}
  std::string describe() const override { return "external"; }
  bool launched() const override { return false; }
  void start() override {}
  std::optional<sut::ExitStatus> exited() override { return std::nullopt; }
  std::optional<sut::ExitStatus> stop() override { return std::nullopt; }
};

SutBackend external_sut_backend() {
  SutBackend b;
  b.name = "external";
  b.summary = "a SUT already running elsewhere (external = true): only its folders and endpoints are used";
  b.keys = {"external", "consume_deadline_ms", "journal", "requests"};
  b.parse = [](const LinkTable& t) { return std::make_shared<SutSettings>(parse_sut_table(t, false)); };
  b.open = [](const LinkSettings& s, const SutOpenContext& c) -> std::unique_ptr<SutLink> {
    SutSettings settings = dynamic_cast<const SutSettings&>(s);
    settings.journal = fill_placeholders(settings.journal, c.output_root, c.pki_dir, c.rig_dir);
    return std::make_unique<ExternalSutLink>(std::move(settings));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(SutBackend, external_sut_backend())

}  // namespace onshi::links
