#include "onshi/ons/wire_format.hpp"

#include <algorithm>
#include <cctype>

#include "onshi/core/error.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The XML declaration's encoding value: where it sits in `xml` (offset, length), if any.
std::optional<std::pair<std::size_t, std::size_t>> declared_encoding_span(std::string_view xml) {
  const std::size_t start = xml.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (xml.compare(start, 5, "<?xml") != 0) return std::nullopt;
  const std::size_t end = xml.find("?>", start);
  if (end == std::string_view::npos || end > 512) return std::nullopt;
  const std::size_t key = xml.substr(0, end).find("encoding", start);
  if (key == std::string_view::npos) return std::nullopt;
  std::size_t i = key + 8;
  while (i < end && (xml[i] == ' ' || xml[i] == '=')) ++i;
  if (i >= end || (xml[i] != '"' && xml[i] != '\'')) return std::nullopt;
  const char quote = xml[i];
  const std::size_t close = xml.find(quote, i + 1);
  if (close == std::string_view::npos || close > end) return std::nullopt;
  return std::pair{i + 1, close - i - 1};
}

}  // namespace

std::optional<WireSyntax> wire_syntax_of(std::string_view content_type) {
  std::string type = lower(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  if (type == "application/xml" || type == "text/xml") return WireSyntax::xml;
  if (type == kJsonContentType) return WireSyntax::json;
  return std::nullopt;
}

TextEncoding declared_xml_encoding(std::string_view xml) {
  const auto span = declared_encoding_span(xml);
  if (!span) return TextEncoding::utf8;
  const std::string name = lower(xml.substr(span->first, span->second));
  if (name == "utf-8" || name == "utf8") return TextEncoding::utf8;
  if (name == "shift_jis" || name == "shift-jis" || name == "sjis" || name == "windows-31j" || name == "cp932" ||
      name == "ms_kanji" || name == "x-sjis") {
    return TextEncoding::shift_jis;
  }
  throw Error(ErrorCode::malformed_input,
              "unsupported encoding '" + detail::excerpt(xml.substr(span->first, span->second), 40) +
                  "' (UTF-8 or Shift_JIS)",
              "XML declaration");
}


CanonicalMessage to_canonical(std::string_view body, WireSyntax syntax, const ElementRenames& inbound,
                              const XmlLimits& limits) {
  CanonicalMessage m;
  m.format.syntax = syntax;
  if (syntax == WireSyntax::json) {
    m.xml = rename_elements(json_to_xml(body, limits), inbound);
    return m;
  }
  if (body.size() > limits.max_bytes) {
    throw Error(ErrorCode::malformed_input,
                "message of " + std::to_string(body.size()) + " bytes exceeds the limit of " + std::to_string(limits.max_bytes),
                "XML document");
  }
  m.format.encoding = declared_xml_encoding(body);
  if (m.format.encoding == TextEncoding::shift_jis) {
    std::string utf8 = shift_jis_to_utf8(body);
    if (const auto span = declared_encoding_span(utf8)) utf8.replace(span->first, span->second, "UTF-8");
    m.xml = rename_elements(utf8, inbound);
  } else {
    // Canonical means UTF-8: a body declared UTF-8 is checked here, as a Shift_JIS one is by
    // its conversion, so a caller that hands the XML on (the terminal's request files) never
    // passes bytes an encoder refuses (found by fuzz_terminal_request, docs/fuzzing.md).
    if (const auto at = detail::invalid_utf8_offset(body)) {
      throw Error(ErrorCode::malformed_input, "invalid UTF-8 at byte offset " + std::to_string(*at), "XML document");
    }
    m.xml = rename_elements(body, inbound);
  }
  return m;
}

std::string from_canonical(std::string_view xml, const WireFormat& format, const ElementRenames& outbound) {
  std::string renamed = rename_elements(xml, outbound);
  if (format.syntax == WireSyntax::json) return xml_to_json(renamed);
  if (format.encoding == TextEncoding::utf8) return renamed;
  if (const auto span = declared_encoding_span(renamed)) renamed.replace(span->first, span->second, "Shift_JIS");
  // The wire layer owns the encoding, so it also keeps CharacterCodeIdentifier (0 UTF-8,
  // 1 Shift_JIS) true to the bytes it sends.
  static constexpr std::string_view kUtf8Id = "<CharacterCodeIdentifier>0</CharacterCodeIdentifier>";
  if (const std::size_t at = renamed.find(kUtf8Id); at != std::string::npos) {
    renamed.replace(at, kUtf8Id.size(), "<CharacterCodeIdentifier>1</CharacterCodeIdentifier>");
  }
  return utf8_to_shift_jis(renamed);
}

std::string content_type_for(const WireFormat& format) {
  if (format.syntax == WireSyntax::json) return std::string(kJsonContentType) + "; charset=UTF-8";
  return format.encoding == TextEncoding::shift_jis ? "application/xml; charset=Shift_JIS"
                                                    : "application/xml; charset=UTF-8";
}

}  // namespace onshi::ons
