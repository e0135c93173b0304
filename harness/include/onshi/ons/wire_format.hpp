#pragma once
// How an ONS message travels: XML in UTF-8 or Shift_JIS (declared in the XML declaration,
// CharacterCodeIdentifier 0/1), or the same structure as JSON ({"XmlMsg":{…}}, docs/domain/ons-messages.md,
// transport), chosen by Content-Type. The codecs (xml_codec.hpp) only ever see canonical UTF-8
// XML with canonical element names; this layer converts at the edge, both ways.
//
// JSON mapping: an element with element children is an object, a leaf is a string; an
// element named …List is an array of one-key objects ({"ResultOfQualificationConfirmation":{…}});
// other repeated children are an array under their name.
// Shift_JIS is read and written as Windows code page 932 (glibc iconv "CP932"), the
// Shift_JIS terminals actually produce (NEC/IBM extensions, ～ as U+FF5E).
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons {

enum class WireSyntax { xml, json };
enum class TextEncoding { utf8, shift_jis };

struct WireFormat {
  WireSyntax syntax = WireSyntax::xml;
  TextEncoding encoding = TextEncoding::utf8;  // XML only; JSON is always UTF-8

  bool operator==(const WireFormat&) const = default;
};

inline constexpr std::string_view kJsonContentType = "application/json";

// Element renames of an interface profile (interface_profile.hpp): from → to.
using ElementRenames = std::map<std::string, std::string, std::less<>>;

// The syntax a Content-Type names (application/xml, text/xml → xml; application/json →
// json); nullopt for anything else.
std::optional<WireSyntax> wire_syntax_of(std::string_view content_type);

// The encoding an XML declaration names; UTF-8 without one. Throws
// Error(malformed_input, …, "XML declaration") for any other encoding.
TextEncoding declared_xml_encoding(std::string_view xml);

// Throws Error(malformed_input, "… not valid Shift_JIS at byte offset N", "Shift_JIS text").
std::string shift_jis_to_utf8(std::string_view bytes);
// Throws Error(invalid_argument, "… has no Shift_JIS form …", "Shift_JIS text").
std::string utf8_to_shift_jis(std::string_view text);

// JSON ⇄ XML (UTF-8). json_to_xml throws Error(malformed_input) naming the JSON path of
// anything it cannot map (not JSON, no XmlMsg, nesting deeper than 32, true/false values).
std::string json_to_xml(std::string_view json, const XmlLimits& limits = {});
std::string xml_to_json(std::string_view xml);

// Renames element tags (<A>, </A>, <A/>) per `renames`, leaving text, comments and CDATA alone.
std::string rename_elements(std::string_view xml, const ElementRenames& renames);

// An inbound body → canonical UTF-8 XML for the decoders, and the format it came in (so
// the answer can go back the same way). Throws Error(malformed_input) as above.
struct CanonicalMessage {
  std::string xml;
  WireFormat format;
};
CanonicalMessage to_canonical(std::string_view body, WireSyntax syntax, const ElementRenames& inbound = {},
                              const XmlLimits& limits = {});

// Canonical UTF-8 XML (as the encoders write it) → the wire body in `format`. Shift_JIS
// output also gets CharacterCodeIdentifier 1, matching its declaration.
std::string from_canonical(std::string_view xml, const WireFormat& format, const ElementRenames& outbound = {});
// "application/xml; charset=Shift_JIS", "application/json; charset=UTF-8", …
std::string content_type_for(const WireFormat& format);

}  // namespace onshi::ons
