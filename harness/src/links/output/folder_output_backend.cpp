// [output] kind = "folder" (see folder_output_settings.hpp).
#include "onshi/links/output/folder_output_settings.hpp"
#include "onshi/links/output_backend.hpp"

namespace onshi::links {
namespace {

class FolderOutputLink final : public OutputLink {
 public:
  FolderOutputLink(std::filesystem::path dir, ons::TextEncoding encoding)
      : folder_(std::move(dir), encoding), encoding_(encoding) {}
  flow::ResultFolder& results() override { return folder_; }
  ons::TextEncoding encoding() const override { return encoding_; }

 private:
  flow::ResultFolder folder_;
  ons::TextEncoding encoding_;
};

OutputBackend folder_output_backend() {
  OutputBackend b;
  b.name = "folder";
  b.summary = "req/ res/ face/ folders the harness writes and reads (dir, relative to the rig file)";
  b.keys = {"dir", "encoding"};
  b.parse = [](const LinkTable& t) {
    auto s = std::make_shared<FolderOutputSettings>();
    const RigPath dir = t.path("dir");
    if (!dir.empty()) s->dir = dir.resolved;
    s->where = dir.where;
    s->encoding = t.one_of("encoding", "utf-8", {"utf-8", "shift_jis"}) == "shift_jis" ? ons::TextEncoding::shift_jis
                                                                                      : ons::TextEncoding::utf8;
    return s;
  };
  b.open = [](const LinkSettings& s, const OutputOpenContext& context) -> std::unique_ptr<OutputLink> {
    const auto& folder = dynamic_cast<const FolderOutputSettings&>(s);
    return std::make_unique<FolderOutputLink>(context.dir_override ? *context.dir_override : folder.dir, folder.encoding);
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(OutputBackend, folder_output_backend())

}  // namespace onshi::links
