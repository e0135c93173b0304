#pragma once
// An interface profile's element renames (interface_profile.hpp): a newer specification's
// wire names for the canonical elements the codecs use, applied to XML text at the edge.
#include <map>
#include <string>
#include <string_view>

namespace onshi::ons {

// from → to.
using ElementRenames = std::map<std::string, std::string, std::less<>>;

// Renames element tags (<A>, </A>, <A/>) per `renames`, leaving text, comments and CDATA alone.
std::string rename_elements(std::string_view xml, const ElementRenames& renames);

}  // namespace onshi::ons
