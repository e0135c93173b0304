#include "onshi/core/error.hpp"
#include "onshi/links/sut_backend.hpp"

namespace onshi::links {

std::string fill_placeholders(const std::string& text, const std::filesystem::path& output_root,
                              const std::filesystem::path& pki_dir, const std::filesystem::path& rig_dir) {
  std::string out = text;
  const auto fill = [&out](std::string_view name, const std::filesystem::path& value) {
    for (std::size_t at; (at = out.find(name)) != std::string::npos;) out.replace(at, name.size(), value.string());
  };
  fill("{output}", output_root);
  fill("{pki}", pki_dir);
  fill("{rig_dir}", rig_dir);
  return out;
}

std::string default_sut_kind(const LinkTable& table) {
  const toml::node* external = table.table() != nullptr ? table.table()->get("external") : nullptr;
  return external != nullptr && external->value<bool>().value_or(false) ? "external" : "launched";
}

std::unique_ptr<SutLink> open_sut_link(const LinkChoice& choice, const SutOpenContext& context) {
  const SutBackend* backend = SutRegistry::instance().find(choice.kind);
  if (backend == nullptr) {
    throw Error(ErrorCode::config,
                "no sut backend '" + choice.kind + "' in this program (known: " + known_names<SutBackend>() + ")",
                choice.where);
  }
  return backend->open(*choice.settings, context);
}

}  // namespace onshi::links
