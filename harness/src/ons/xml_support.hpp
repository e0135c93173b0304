#pragma once
// Private helpers shared by the ONS message codecs: a guarded parse, and an element view
// that knows its path so every decode error can name where it happened.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "onshi/core/error.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons::detail {

class Element {
 public:
  Element(pugi::xml_node node, std::string path) : node_(node), path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  // Exactly one child of that name, else Error naming it.
  Element child(std::string_view name) const;
  // Zero or one child of that name.
  std::optional<Element> optional_child(std::string_view name) const;
  // Every child of that name, paths indexed from 1 ("…/ResultOfQualificationConfirmation[2]").
  std::vector<Element> children(std::string_view name) const;

  // This element's character data; an element child inside is an error.
  std::string text() const;
  std::string text(std::string_view name) const { return child(name).text(); }
  std::optional<std::string> optional_text(std::string_view name) const;

  template <class E>
  E code(std::string_view name) const {
    const Element c = child(name);
    return c.parse_code<E>();
  }
  template <class E>
  std::optional<E> optional_code(std::string_view name) const {
    const auto c = optional_child(name);
    if (!c) return std::nullopt;
    return c->parse_code<E>();
  }

  [[noreturn]] void fail(const std::string& message) const;

 private:
  template <class E>
  E parse_code() const {
    const std::string value = text();
    if (const auto v = from_code<E>(value)) return *v;
    fail("unknown " + std::string(CodeTable<E>::name) + " code '" + quote_excerpt(value) + "'");
  }
  static std::string quote_excerpt(std::string_view value);

  pugi::xml_node node_;
  std::string path_;
};

// A parsed XmlMsg document; construction enforces XmlLimits, UTF-8, no DOCTYPE, no
// undeclared entity references, and the XmlMsg root.
class ParsedMessage {
 public:
  ParsedMessage(std::string_view xml, const XmlLimits& limits);
  Element root() const { return Element(doc_.document_element(), "XmlMsg"); }

 private:
  pugi::xml_document doc_;
};

// Field checks: return the value, or fail on `at` naming the element.
std::string digits(const Element& at, std::string value, std::size_t count);
std::string date(const Element& at, std::string value);      // YYYYMMDD
std::string datetime(const Element& at, std::string value);  // YYYYMMDDHHmmss

std::string required_digits(const Element& parent, std::string_view name, std::size_t count);
std::string required_date(const Element& parent, std::string_view name);
std::optional<std::string> optional_date(const Element& parent, std::string_view name);
std::string required_datetime(const Element& parent, std::string_view name);
std::optional<std::string> optional_datetime(const Element& parent, std::string_view name);

// Writing: an XmlMsg document with the standard declaration.
class MessageWriter {
 public:
  MessageWriter();
  pugi::xml_node root() const { return root_; }
  std::string str() const;

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

pugi::xml_node add_element(pugi::xml_node parent, std::string_view name);
void add_text(pugi::xml_node parent, std::string_view name, std::string_view value);
inline void add_text(pugi::xml_node parent, std::string_view name, const std::string& value) {
  add_text(parent, name, std::string_view(value));
}
inline void add_text(pugi::xml_node parent, std::string_view name, const std::optional<std::string>& value) {
  if (value) add_text(parent, name, *value);
}
template <class E>
void add_code(pugi::xml_node parent, std::string_view name, E value) {
  add_text(parent, name, to_code(value));
}
template <class E>
void add_code(pugi::xml_node parent, std::string_view name, const std::optional<E>& value) {
  if (value) add_code(parent, name, *value);
}

// QualificationConfirmSearchInfo (single and bulk inquiries), both ways; the header stays empty.
void write_search_info(pugi::xml_node body, const QualificationSearchInquiry& inquiry);
QualificationSearchInquiry read_search_info(const Element& info);

// One ResultOfQualificationConfirmation (result_codec.cpp), for the bulk result too.
void write_result_record(pugi::xml_node list, const QualificationRecord& r);
QualificationRecord read_result_record(const Element& n);

// The MessageHeader of an inquiry, both ways.
void write_request_header(pugi::xml_node root, const RequestHeader& header);
RequestHeader read_request_header(const Element& root);

}  // namespace onshi::ons::detail
