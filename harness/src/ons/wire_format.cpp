#include "onshi/ons/wire_format.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <iconv.h>

#include <nlohmann/json.hpp>

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

class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {  // NOLINT: iconv's documented failure value
      throw Error(ErrorCode::config, std::string("iconv cannot convert ") + from + " to " + to, "Shift_JIS text");
    }
  }
  ~Iconv() { iconv_close(cd_); }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;

  // Converts all of `in`; on failure, returns the input offset that could not be converted.
  std::optional<std::size_t> convert(std::string_view in, std::string& out, bool& truncated) {
    out.clear();
    std::string buffer(in.size() * 2 + 16, '\0');
    char* src = const_cast<char*>(in.data());  // iconv's API is not const-correct
    std::size_t src_left = in.size();
    char* dst = buffer.data();
    std::size_t dst_left = buffer.size();
    while (src_left > 0) {
      if (iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) {
        if (errno == E2BIG) {
          const std::size_t used = buffer.size() - dst_left;
          buffer.resize(buffer.size() * 2);
          dst = buffer.data() + used;
          dst_left = buffer.size() - used;
          continue;
        }
        truncated = errno == EINVAL;
        return in.size() - src_left;
      }
    }
    buffer.resize(buffer.size() - dst_left);
    out = std::move(buffer);
    return std::nullopt;
  }

 private:
  iconv_t cd_;
};

constexpr std::size_t kMaxJsonDepth = 32;

void json_to_element(const nlohmann::ordered_json& value, detail::XmlNode parent, const std::string& name,
                     const std::string& path, std::size_t depth) {
  if (depth > kMaxJsonDepth) throw Error(ErrorCode::malformed_input, "nesting deeper than 32", path);
  if (value.is_null()) return;
  if (value.is_object()) {
    detail::XmlNode e = detail::add_element(parent, name);
    for (const auto& [key, child] : value.items()) json_to_element(child, e, key, path + "/" + key, depth + 1);
    return;
  }
  if (value.is_array()) {
    const bool list = name.size() > 4 && name.compare(name.size() - 4, 4, "List") == 0;
    detail::XmlNode holder = list ? detail::add_element(parent, name) : parent;
    std::size_t index = 0;
    for (const auto& item : value) {
      const std::string at = path + "[" + std::to_string(++index) + "]";
      if (!list) {
        json_to_element(item, parent, name, at, depth + 1);
        continue;
      }
      if (!item.is_object()) throw Error(ErrorCode::malformed_input, "a …List item must be an object", at);
      for (const auto& [key, child] : item.items()) json_to_element(child, holder, key, at + "/" + key, depth + 1);
    }
    return;
  }
  if (value.is_string()) return detail::add_text(parent, name, value.get_ref<const std::string&>());
  if (value.is_number()) return detail::add_text(parent, name, value.dump());
  throw Error(ErrorCode::malformed_input, "true/false has no XML form here; send \"0\"/\"1\"", path);
}

nlohmann::ordered_json element_to_json(pugi::xml_node e) {
  bool has_elements = false;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) has_elements |= c.type() == pugi::node_element;
  if (!has_elements) return std::string(e.text().get());
  const std::string_view name = e.name();
  if (name.size() > 4 && name.substr(name.size() - 4) == "List") {
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      nlohmann::ordered_json item = nlohmann::ordered_json::object();
      item[c.name()] = element_to_json(c);
      items.push_back(std::move(item));
    }
    return items;
  }
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    nlohmann::ordered_json v = element_to_json(c);
    auto it = object.find(c.name());
    if (it == object.end()) {
      object[c.name()] = std::move(v);
    } else {
      if (!it->is_array()) *it = nlohmann::ordered_json::array({*it});
      it->push_back(std::move(v));
    }
  }
  return object;
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
              "unsupported encoding '" + std::string(xml.substr(span->first, std::min<std::size_t>(span->second, 40))) +
                  "' (UTF-8 or Shift_JIS)",
              "XML declaration");
}

std::string shift_jis_to_utf8(std::string_view bytes) {
  Iconv cv("UTF-8", "CP932");
  std::string out;
  bool truncated = false;
  if (const auto at = cv.convert(bytes, out, truncated)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(static_cast<unsigned char>(bytes[*at])));
    throw Error(ErrorCode::malformed_input,
                std::string(truncated ? "truncated multi-byte sequence" : "byte sequence") + " starting 0x" + hex +
                    " is not valid Shift_JIS at byte offset " + std::to_string(*at),
                "Shift_JIS text");
  }
  return out;
}

std::string utf8_to_shift_jis(std::string_view text) {
  Iconv cv("CP932", "UTF-8");
  std::string out;
  bool truncated = false;
  if (const auto at = cv.convert(text, out, truncated)) {
    throw Error(ErrorCode::invalid_argument,
                "the character at byte offset " + std::to_string(*at) + " has no Shift_JIS form (or is not UTF-8)",
                "Shift_JIS text");
  }
  return out;
}

std::string json_to_xml(std::string_view json, const XmlLimits& limits) {
  if (json.size() > limits.max_bytes) {
    throw Error(ErrorCode::malformed_input,
                "message of " + std::to_string(json.size()) + " bytes exceeds the limit of " + std::to_string(limits.max_bytes),
                "JSON document");
  }
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::malformed_input, std::string("not valid JSON: ") + e.what(), "JSON document");
  }
  if (!doc.is_object() || doc.size() != 1 || !doc.contains("XmlMsg") || !doc["XmlMsg"].is_object()) {
    throw Error(ErrorCode::malformed_input, "expected {\"XmlMsg\":{…}}", "JSON document");
  }
  detail::MessageWriter w;
  for (const auto& [key, child] : doc["XmlMsg"].items()) json_to_element(child, w.root(), key, "XmlMsg/" + key, 1);
  return w.str();
}

std::string xml_to_json(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8)) {
    throw Error(ErrorCode::malformed_input, "not well-formed XML", "xml_to_json");
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out[doc.document_element().name()] = element_to_json(doc.document_element());
  // Text that is not UTF-8 (an answer echoing a peer's bytes) becomes U+FFFD instead of a
  // json::type_error that would turn an ONS answer into an internal error.
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string rename_elements(std::string_view xml, const ElementRenames& renames) {
  if (renames.empty()) return std::string(xml);
  std::string out;
  out.reserve(xml.size() + 64);
  std::size_t i = 0;
  auto skip_to = [&](std::string_view terminator) {
    const std::size_t end = xml.find(terminator, i);
    const std::size_t stop = end == std::string_view::npos ? xml.size() : end + terminator.size();
    out.append(xml.substr(i, stop - i));
    i = stop;
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      out += xml[i++];
      continue;
    }
    if (xml.compare(i, 4, "<!--") == 0) { skip_to("-->"); continue; }
    if (xml.compare(i, 9, "<![CDATA[") == 0) { skip_to("]]>"); continue; }
    if (xml.compare(i, 2, "<?") == 0 || xml.compare(i, 2, "<!") == 0) { skip_to(">"); continue; }
    std::size_t name_start = i + 1;
    if (name_start < xml.size() && xml[name_start] == '/') ++name_start;
    std::size_t name_end = name_start;
    while (name_end < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[name_end])) != 0 ||
                                     xml[name_end] == '_' || xml[name_end] == '-' || xml[name_end] == '.' ||
                                     xml[name_end] == ':')) {
      ++name_end;
    }
    out.append(xml.substr(i, name_start - i));
    const std::string_view name = xml.substr(name_start, name_end - name_start);
    const auto it = renames.find(name);
    out.append(it == renames.end() ? name : std::string_view(it->second));
    i = name_end;
  }
  return out;
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
