#pragma once
// How an ONS message travels: XML in UTF-8 or Shift_JIS (declared in the XML declaration,
// CharacterCodeIdentifier 0/1), or the same structure as JSON ({"XmlMsg":{…}}, docs/domain/ons-messages.md,
// transport), chosen by Content-Type. The codecs (xml_codec.hpp) only ever see canonical UTF-8
// XML with canonical element names; this layer converts at the edge, both ways.
//
// The pieces it joins have their own headers, included here: json_xml.hpp (the JSON mapping),
// shift_jis.hpp (CP932 transcoding), element_renames.hpp (an interface profile's renames).
#include <optional>
#include <string>
#include <string_view>

#include "onshi/ons/element_renames.hpp"
#include "onshi/ons/json_xml.hpp"
#include "onshi/ons/shift_jis.hpp"
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

// The syntax a Content-Type names (application/xml, text/xml → xml; application/json →
// json); nullopt for anything else.
std::optional<WireSyntax> wire_syntax_of(std::string_view content_type);

// The encoding an XML declaration names; UTF-8 without one. Throws
// Error(malformed_input, …, "XML declaration") for any other encoding.
TextEncoding declared_xml_encoding(std::string_view xml);

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
