#pragma once
// Private helpers shared by the ONS message codecs: a guarded parse, and an element view
// that can name its path so every decode error says where it happened.
#include <cstdint>
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
  // `index`: this element's position among same-named siblings when it came from children().
  explicit Element(pugi::xml_node node, std::uint32_t index = 0) : node_(node), index_(index) {}

  // "XmlMsg/MessageBody/…[2]", worked out from the document when an error needs it: decoding
  // a valid message builds no path strings.
  std::string path() const;

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
  std::uint32_t index_ = 0;
};

// The offset of the first byte of `s` that is not strict UTF-8 (an overlong, a surrogate,
// above U+10FFFF, a broken sequence); nullopt when it is all UTF-8.
std::optional<std::size_t> invalid_utf8_offset(std::string_view s);

// At most `max_bytes` of `value` for an error message, cut on a UTF-8 character boundary,
// with "…" when cut; control characters and bytes that are not UTF-8 become '?'.
std::string excerpt(std::string_view value, std::size_t max_bytes);

// A parsed XmlMsg document; construction enforces XmlLimits, UTF-8, no DOCTYPE, no
// undeclared entity references, and the XmlMsg root.
class ParsedMessage {
 public:
  ParsedMessage(std::string_view xml, const XmlLimits& limits);
  Element root() const { return Element(doc_.document_element()); }

 private:
  pugi::xml_document doc_;
};

// Field checks: return the value, or fail on `at` naming the element.
std::string digits(const Element& at, std::string value, std::size_t count);
std::string date(const Element& at, std::string value);      // YYYYMMDD
std::string datetime(const Element& at, std::string value);  // YYYYMMDDHHmmss

std::string required_digits(const Element& parent, std::string_view name, std::size_t count);
// <MedicalInstitutionCode> under `parent` (onshi/ons/medical_institution_code.hpp).
std::string required_medical_institution_code(const Element& parent);
std::string required_date(const Element& parent, std::string_view name);
std::optional<std::string> optional_date(const Element& parent, std::string_view name);
std::string required_datetime(const Element& parent, std::string_view name);
std::optional<std::string> optional_datetime(const Element& parent, std::string_view name);

// Writing: an XmlMsg document with the standard declaration, streamed straight into a string
// in document order (indented by two spaces, `<Empty />`, like pugixml's format_indent).
// An element stays open until something is written into its parent or an ancestor; writing
// into an element that was already closed is a programming error and throws.
class MessageWriter {
 public:
  class Node {
   public:
    Node() = default;

   private:
    friend class MessageWriter;
    Node(MessageWriter* writer, std::size_t depth, std::uint64_t id) : writer_(writer), depth_(depth), id_(id) {}
    MessageWriter* writer_ = nullptr;
    std::size_t depth_ = 0;
    std::uint64_t id_ = 0;
    friend Node add_element(Node parent, std::string_view name);
    friend void add_text(Node parent, std::string_view name, std::string_view value);
  };

  MessageWriter();
  MessageWriter(const MessageWriter&) = delete;
  MessageWriter& operator=(const MessageWriter&) = delete;

  Node root() { return Node(this, 0, open_.front().id); }
  // Closes every open element and returns the document.
  std::string str();

 private:
  friend Node add_element(Node parent, std::string_view name);
  friend void add_text(Node parent, std::string_view name, std::string_view value);
  struct Open {
    std::string name;
    std::uint64_t id;
    bool start_tag_pending;  // "<Name" written, '>' or " />" not yet
  };
  // Makes `parent` the innermost open element, ready for a child; throws if it was closed.
  void enter(const Node& parent);
  Node open_child(std::string_view name);
  void leaf(std::string_view name, std::string_view value);
  void close_innermost();
  void indent(std::size_t depth);

  std::string out_;
  std::vector<Open> open_;
  std::uint64_t next_id_ = 1;
};
using XmlNode = MessageWriter::Node;

XmlNode add_element(XmlNode parent, std::string_view name);
void add_text(XmlNode parent, std::string_view name, std::string_view value);
inline void add_text(XmlNode parent, std::string_view name, const std::string& value) {
  add_text(parent, name, std::string_view(value));
}
inline void add_text(XmlNode parent, std::string_view name, const char* value) {
  add_text(parent, name, std::string_view(value));
}
inline void add_text(XmlNode parent, std::string_view name, const std::optional<std::string>& value) {
  if (value) add_text(parent, name, *value);
}
template <class E>
void add_code(XmlNode parent, std::string_view name, E value) {
  add_text(parent, name, to_code(value));
}
template <class E>
void add_code(XmlNode parent, std::string_view name, const std::optional<E>& value) {
  if (value) add_code(parent, name, *value);
}

// QualificationConfirmSearchInfo (single and bulk inquiries), both ways; the header stays empty.
void write_search_info(XmlNode body, const QualificationSearchInquiry& inquiry);
QualificationSearchInquiry read_search_info(const Element& info);
// The bulk results' header fields (bulk_codec.cpp): ReceptionNumber (digits), and a count
// such as NumberOfProcessingResult.
std::string required_reception_number(const Element& header);
std::optional<unsigned> optional_count(const Element& parent, std::string_view name);
void add_count(XmlNode parent, std::string_view name, const std::optional<unsigned>& n);
// InsurerNumber under `parent`: 8 digits, or 6 for 国保 (space- or zero-padded to 8).
std::string required_insurer_number(const Element& parent);

// One ResultOfQualificationConfirmation (result_codec.cpp), for the bulk result too.
void write_result_record(XmlNode list, const QualificationRecord& r);
QualificationRecord read_result_record(const Element& n);

// The MessageHeader of an inquiry, both ways.
void write_request_header(XmlNode root, const RequestHeader& header);
RequestHeader read_request_header(const Element& root);

}  // namespace onshi::ons::detail
