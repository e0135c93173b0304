#include "onshi/rig/ons_client_setup.hpp"

#include "onshi/core/error.hpp"

namespace onshi::rig {

ons::InterfaceProfile interface_profile_for(const OnsClientChoice& choice) {
  if (choice.interface_profile.empty()) return ons::default_interface_profile();
  const std::filesystem::path& file = choice.interface_profile.existing_file();
  try {
    return ons::load_interface_profile(file);
  } catch (const Error& e) {
    throw Error(e.code(), e.message() + " (the [ons] interface_profile at " + choice.interface_profile.where + ")",
                e.context());
  }
}

ons::WireFormat wire_format_named(const std::string& name, const std::string& where) {
  if (name == "xml") return {};
  if (name == "xml-sjis") return {ons::WireSyntax::xml, ons::TextEncoding::shift_jis};
  if (name == "json") return {ons::WireSyntax::json, ons::TextEncoding::utf8};
  throw Error(ErrorCode::config, "unknown ONS wire format '" + name + "' (xml, xml-sjis, json)", where);
}

}  // namespace onshi::rig
