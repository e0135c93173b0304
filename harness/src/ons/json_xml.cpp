#include "onshi/ons/json_xml.hpp"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

constexpr std::size_t kMaxJsonDepth = 32;

// The element names of ONS messages are ASCII XML names (docs/domain/ons-messages.md): a letter or
// '_' first, then letters, digits, '_', '-', '.'. A key outside that would be written as is
// into a tag ("A><B", "") and give XML that is not well-formed.
bool is_element_name(std::string_view key) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (key.empty() || !letter(key[0])) return false;
  return std::all_of(key.begin() + 1, key.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

void json_to_element(const nlohmann::ordered_json& value, detail::XmlNode parent, const std::string& name,
                     const std::string& path, std::size_t depth) {
  if (depth > kMaxJsonDepth) throw Error(ErrorCode::malformed_input, "nesting deeper than 32", path);
  if (!is_element_name(name)) {
    throw Error(ErrorCode::malformed_input, "JSON key '" + detail::excerpt(name, 40) + "' is not an XML element name",
                detail::excerpt(path, 200));
  }
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

}  // namespace onshi::ons
