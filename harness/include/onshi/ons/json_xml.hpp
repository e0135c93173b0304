#pragma once
// An ONS message as JSON ({"XmlMsg":{…}}, docs/domain/ons-messages.md, transport) ⇄ the same
// message as UTF-8 XML. An element with element children is an object, a leaf is a string;
// an element named …List is an array of one-key objects ({"ResultOfQualificationConfirmation":{…}});
// other repeated children are an array under their name.
#include <string>
#include <string_view>

#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons {

// Throws Error(malformed_input) naming the JSON path of anything it cannot map (not JSON, no
// XmlMsg, nesting deeper than 32, true/false values).
std::string json_to_xml(std::string_view json, const XmlLimits& limits = {});
std::string xml_to_json(std::string_view xml);

}  // namespace onshi::ons
