#include "xml_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "onshi/core/digits.hpp"
#include "onshi/ons/medical_institution_code.hpp"

namespace onshi::ons::detail {
namespace {

[[noreturn]] void fail_document(const std::string& message, const std::string& where = "XML document") {
  throw Error(ErrorCode::malformed_input, message, where);
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF): pugixml does not
// check, and a result is forwarded to レセコン files and logs as is.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Most of a message is ASCII: step over it eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    if ((b0 & 0xE0) == 0xC0) {
      extra = 1;
      cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2;
      cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3;
      cp = b0 & 0x07u;
    } else {
      return i;
    }
    if (i + extra >= s.size()) return i;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<std::uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += extra + 1;
  }
  return std::nullopt;
}

// pugixml leaves an unknown "&name;" as literal text instead of failing; XML says an
// undeclared entity is a well-formedness error, and with no DOCTYPE nothing is declared.
struct EntityProblem {
  std::size_t offset;
  const char* what;
};

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool is_xml_char(std::uint64_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// A raw C0 control other than tab, LF and CR: XML 1.0 forbids it as a character.
std::optional<std::size_t> first_control_character(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return i;
  }
  return std::nullopt;
}

std::optional<EntityProblem> first_undeclared_entity(std::string_view s) {
  static constexpr std::string_view kPredefined[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
  std::size_t i = 0;
  // Only "<!" (CDATA, comments) and '&' matter. The next of each is searched again only once
  // the scan has passed it, so the whole check stays linear in the message size.
  std::size_t amp = 0;
  std::size_t markup = 0;
  bool first = true;
  while (i < s.size()) {
    if (first || amp < i) {
      const char* next = static_cast<const char*>(std::memchr(s.data() + i, '&', s.size() - i));
      amp = next == nullptr ? s.size() : static_cast<std::size_t>(next - s.data());
    }
    if (first || markup < i) markup = s.find("<!", i);
    first = false;
    if (markup < amp) {
      if (s.compare(markup, 9, "<![CDATA[") == 0) {
        const std::size_t end = s.find("]]>", markup + 9);
        if (end == std::string_view::npos) return std::nullopt;  // the parser reports it
        i = end + 3;
        continue;
      }
      if (s.compare(markup, 4, "<!--") == 0) {
        const std::size_t end = s.find("-->", markup + 4);
        if (end == std::string_view::npos) return std::nullopt;
        i = end + 3;
        continue;
      }
      i = markup + 2;  // a DOCTYPE or other declaration: the parser judges it
      continue;
    }
    if (amp == s.size()) return std::nullopt;
    i = amp;
    const std::string_view rest = s.substr(i + 1);
    bool ok = std::any_of(std::begin(kPredefined), std::end(kPredefined),
                          [&](std::string_view p) { return rest.substr(0, p.size()) == p; });
    if (!ok && !rest.empty() && rest[0] == '#') {
      const bool hex = rest.size() > 1 && rest[1] == 'x';
      std::size_t j = hex ? 2 : 1;
      const std::size_t start = j;
      while (j < rest.size() && j < 12 &&
             (hex ? std::isxdigit(static_cast<unsigned char>(rest[j])) != 0
                  : std::isdigit(static_cast<unsigned char>(rest[j])) != 0)) {
        ++j;
      }
      ok = j > start && j < rest.size() && rest[j] == ';';
      // Well-formed, but it must name a character XML allows (XML 1.0 §4.1, WFC: Legal
      // Character): &#1; or &#xD800; would decode to what no encoder may write.
      if (ok) {
        const std::string_view number_text = rest.substr(start, j - start);
        std::uint64_t cp = 0;
        for (const char c : number_text) {
          const auto digit = static_cast<std::uint64_t>(
              std::isdigit(static_cast<unsigned char>(c)) != 0 ? c - '0' : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
          cp = cp * (hex ? 16u : 10u) + digit;
        }
        if (!is_xml_char(cp)) return EntityProblem{i, "character reference to a code point XML forbids"};
      }
    }
    if (!ok) return EntityProblem{i, "undeclared entity reference"};
    ++i;
  }
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int number(std::string_view v) {
  int n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::optional<std::size_t> invalid_utf8_offset(std::string_view s) { return first_invalid_utf8(s); }

std::string excerpt(std::string_view value, std::size_t max_bytes) {
  // Back up over continuation bytes so no UTF-8 character is split: the excerpt goes into
  // errors that are then encoded as XML or JSON, which refuse a broken character.
  std::string out(value);
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<std::uint8_t>(out[cut]) & 0xC0u) == 0x80u) --cut;
    out.resize(cut);
    out += "…";
  }
  // Peer bytes that no XML or JSON encoder takes (controls, broken UTF-8) become '?': found
  // by fuzz_mock_ons_request, an encoding name of control bytes echoed into an ErrorMessage.
  for (char& c : out) {
    if (static_cast<std::uint8_t>(c) < 0x20 || c == 0x7F) c = '?';
  }
  while (const auto at = first_invalid_utf8(out)) out[*at] = '?';
  return out;
}

std::string Element::quote_excerpt(std::string_view value) {
  // Bad input is echoed into errors and logs: keep it short.
  return excerpt(value, 40);
}

void Element::fail(const std::string& message) const { throw Error(ErrorCode::malformed_input, message, path()); }

namespace {
// Position of `n` among its same-named siblings (1-based), or 0 when the name is unique.
std::uint32_t sibling_index(pugi::xml_node n) {
  std::uint32_t before = 0;
  for (pugi::xml_node s = n.previous_sibling(n.name()); s; s = s.previous_sibling(n.name())) ++before;
  if (before == 0 && !n.next_sibling(n.name())) return 0;
  return before + 1;
}
}  // namespace

std::string Element::path() const {
  std::vector<pugi::xml_node> chain;
  for (pugi::xml_node n = node_; n && n.type() == pugi::node_element; n = n.parent()) chain.push_back(n);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!out.empty()) out += '/';
    out += it->name();
    const std::uint32_t index = *it == node_ && index_ != 0 ? index_ : sibling_index(*it);
    if (index != 0) out += "[" + std::to_string(index) + "]";
  }
  return out;
}

namespace {
// pugixml wants NUL-terminated names; ours are short, so no heap copy is needed.
template <class F>
auto with_c_name(std::string_view name, F&& f) {
  char buffer[96];
  if (name.size() < sizeof buffer) {
    std::memcpy(buffer, name.data(), name.size());
    buffer[name.size()] = '\0';
    return f(static_cast<const char*>(buffer));
  }
  const std::string copy(name);
  return f(copy.c_str());
}
}  // namespace

Element Element::child(std::string_view name) const {
  auto c = optional_child(name);
  if (!c) throw Error(ErrorCode::malformed_input, "missing element", path() + "/" + std::string(name));
  return *c;
}

std::optional<Element> Element::optional_child(std::string_view name) const {
  return with_c_name(name, [&](const char* n) -> std::optional<Element> {
    const pugi::xml_node first = node_.child(n);
    if (!first) return std::nullopt;
    if (first.next_sibling(n)) throw Error(ErrorCode::malformed_input, "duplicate element", path() + "/" + n);
    return Element(first);
  });
}

std::vector<Element> Element::children(std::string_view name) const {
  return with_c_name(name, [&](const char* n) {
    std::vector<Element> out;
    std::uint32_t index = 1;
    for (pugi::xml_node c = node_.child(n); c; c = c.next_sibling(n), ++index) out.emplace_back(c, index);
    return out;
  });
}

std::string Element::text() const {
  std::string out;
  for (pugi::xml_node c = node_.first_child(); c; c = c.next_sibling()) {
    switch (c.type()) {
      case pugi::node_pcdata:
      case pugi::node_cdata:
        out += c.value();
        break;
      case pugi::node_element:
        fail(std::string("unexpected element <") + c.name() + "> inside a text element");
      default:
        break;
    }
  }
  return out;
}

std::optional<std::string> Element::optional_text(std::string_view name) const {
  const auto c = optional_child(name);
  if (!c) return std::nullopt;
  return c->text();
}

ParsedMessage::ParsedMessage(std::string_view xml, const XmlLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    fail_document("message of " + std::to_string(xml.size()) + " bytes exceeds the limit of " +
                  std::to_string(limits.max_bytes));
  }
  if (const auto at = first_invalid_utf8(xml)) {
    fail_document("invalid UTF-8 at byte offset " + std::to_string(*at));
  }
  if (const auto at = first_control_character(xml)) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const auto b = static_cast<std::uint8_t>(xml[*at]);
    fail_document(std::string("control character U+00") + kHex[b >> 4] + kHex[b & 0xFu] + " at byte offset " +
                  std::to_string(*at));
  }
  if (const auto problem = first_undeclared_entity(xml)) {
    fail_document(std::string(problem->what) + " at byte offset " + std::to_string(problem->offset));
  }
  const unsigned options = pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype;
  const pugi::xml_parse_result parsed = doc_.load_buffer(xml.data(), xml.size(), options, pugi::encoding_utf8);
  if (!parsed) {
    fail_document(std::string("not well-formed XML: ") + parsed.description() + " at byte offset " +
                  std::to_string(parsed.offset));
  }
  for (pugi::xml_node n = doc_.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_doctype) fail_document("DOCTYPE is not allowed", "XML prolog");
    if (n.type() == pugi::node_declaration) {
      const pugi::xml_attribute encoding = n.attribute("encoding");
      if (encoding && !iequals(encoding.value(), "UTF-8")) {
        fail_document("unsupported encoding '" + excerpt(encoding.value(), 40) + "' (UTF-8 only)",
                      "XML declaration");
      }
    }
  }
  const pugi::xml_node root = doc_.document_element();
  if (!root) fail_document("no root element", "XML document");
  if (std::string_view(root.name()) != "XmlMsg") {
    fail_document(std::string("root element is <") + root.name() + ">, expected <XmlMsg>", "XML document");
  }
}

std::string digits(const Element& at, std::string value, std::size_t count) {
  if (!is_digits(value, count)) {
    at.fail("expected " + std::to_string(count) + " digits, got '" + excerpt(value, 40) + "'");
  }
  return value;
}

std::string date(const Element& at, std::string value) {
  if (!is_digits(value, 8)) at.fail("expected a date YYYYMMDD, got '" + excerpt(value, 40) + "'");
  const int month = number(std::string_view(value).substr(4, 2));
  const int day = number(std::string_view(value).substr(6, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) at.fail("no such date '" + value + "'");
  return value;
}

std::string datetime(const Element& at, std::string value) {
  if (!is_digits(value, 14)) {
    at.fail("expected a time YYYYMMDDHHmmss, got '" + excerpt(value, 40) + "'");
  }
  date(at, value.substr(0, 8));
  const std::string_view v(value);
  if (number(v.substr(8, 2)) > 23 || number(v.substr(10, 2)) > 59 || number(v.substr(12, 2)) > 60) {
    at.fail("no such time '" + value + "'");
  }
  return value;
}

std::string required_digits(const Element& parent, std::string_view name, std::size_t count) {
  const Element e = parent.child(name);
  return digits(e, e.text(), count);
}

std::string required_medical_institution_code(const Element& parent) {
  const Element e = parent.child("MedicalInstitutionCode");
  std::string value = e.text();
  if (const auto problem = medical_institution_code_problem(value)) e.fail(*problem);
  return value;
}

std::string required_date(const Element& parent, std::string_view name) {
  const Element e = parent.child(name);
  return date(e, e.text());
}

std::optional<std::string> optional_date(const Element& parent, std::string_view name) {
  const auto e = parent.optional_child(name);
  if (!e) return std::nullopt;
  return date(*e, e->text());
}

std::string required_datetime(const Element& parent, std::string_view name) {
  const Element e = parent.child(name);
  return datetime(e, e.text());
}

std::optional<std::string> optional_datetime(const Element& parent, std::string_view name) {
  const auto e = parent.optional_child(name);
  if (!e) return std::nullopt;
  return datetime(*e, e->text());
}

MessageWriter::MessageWriter() {
  out_.reserve(4096);
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg";
  open_.push_back({"XmlMsg", next_id_++, true});
}

std::string MessageWriter::str() {
  while (!open_.empty()) close_innermost();
  return std::move(out_);
}

void MessageWriter::indent(std::size_t depth) { out_.append(2 * depth, ' '); }

void MessageWriter::close_innermost() {
  Open& e = open_.back();
  if (e.start_tag_pending) {
    out_ += " />\n";
  } else {
    indent(open_.size() - 1);
    ((out_ += "</") += e.name) += ">\n";
  }
  open_.pop_back();
}

void MessageWriter::enter(const Node& parent) {
  if (parent.depth_ >= open_.size() || open_[parent.depth_].id != parent.id_) {
    throw Error(ErrorCode::state, "XML writer: element written into after it was closed", "MessageWriter");
  }
  while (open_.size() > parent.depth_ + 1) close_innermost();
  if (open_.back().start_tag_pending) {
    out_ += ">\n";
    open_.back().start_tag_pending = false;
  }
}

MessageWriter::Node MessageWriter::open_child(std::string_view name) {
  indent(open_.size());
  (out_ += '<') += name;
  open_.push_back({std::string(name), next_id_, true});
  return Node(this, open_.size() - 1, next_id_++);
}

void MessageWriter::leaf(std::string_view name, std::string_view value) {
  indent(open_.size());
  ((out_ += '<') += name) += '>';
  // Character data escaped as pugixml does: &, <, > and CR (kept as a character reference).
  for (const char c : value) {
    switch (c) {
      case '&': out_ += "&amp;"; break;
      case '<': out_ += "&lt;"; break;
      case '>': out_ += "&gt;"; break;
      case '\r': out_ += "&#13;"; break;
      default: out_ += c;
    }
  }
  ((out_ += "</") += name) += ">\n";
}

XmlNode add_element(XmlNode parent, std::string_view name) {
  if (parent.writer_ == nullptr) throw Error(ErrorCode::state, "XML writer: no such element", std::string(name));
  parent.writer_->enter(parent);
  return parent.writer_->open_child(name);
}

void add_text(XmlNode parent, std::string_view name, std::string_view value) {
  // XML 1.0 cannot carry C0 controls other than tab/LF/CR, even escaped.
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      throw Error(ErrorCode::invalid_argument, "control character in value", std::string(name));
    }
  }
  if (first_invalid_utf8(value)) throw Error(ErrorCode::invalid_argument, "value is not UTF-8", std::string(name));
  if (parent.writer_ == nullptr) throw Error(ErrorCode::state, "XML writer: no such element", std::string(name));
  parent.writer_->enter(parent);
  parent.writer_->leaf(name, value);
}

void write_request_header(XmlNode root, const RequestHeader& header) {
  XmlNode h = add_element(root, "MessageHeader");
  add_text(h, "QualificationConfirmationDate", header.qualification_confirmation_date);
  add_text(h, "MedicalInstitutionCode", header.medical_institution_code);
  add_text(h, "ArbitraryFileIdentifier", header.arbitrary_file_identifier);
}

RequestHeader read_request_header(const Element& root) {
  const Element h = root.child("MessageHeader");
  RequestHeader header;
  header.qualification_confirmation_date = required_date(h, "QualificationConfirmationDate");
  header.medical_institution_code = required_medical_institution_code(h);
  header.arbitrary_file_identifier = h.optional_text("ArbitraryFileIdentifier");
  return header;
}

}  // namespace onshi::ons::detail
