// The codecs' private XML helpers: the streaming writer must produce what pugixml's
// format_indent would, refuse out-of-order writes, and the parse guard must stay strict.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <string>

#include "../../../harness/src/ons/xml_support.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::ons::detail {
namespace {

using onshi::testing::throws_error;

std::string pugi_reformat(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration));
  struct Sink : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
  } sink;
  doc.save(sink, "  ", pugi::format_indent, pugi::encoding_utf8);
  return sink.out;
}

TEST(MessageWriter, WritesWhatPugixmlFormatIndentWrites) {
  MessageWriter w;
  XmlNode header = add_element(w.root(), "MessageHeader");
  add_text(header, "Date", "20261124");
  add_text(header, "Escaped", "a&b<c>d\"e'");
  XmlNode body = add_element(w.root(), "MessageBody");
  add_element(body, "Empty");
  XmlNode list = add_element(body, "ResultList");
  for (int i = 0; i < 2; ++i) add_text(add_element(list, "Result"), "Name", "試験　花子");
  add_text(body, "After", "x");
  const std::string xml = w.str();
  EXPECT_EQ(xml, pugi_reformat(xml));
  EXPECT_NE(xml.find("<Escaped>a&amp;b&lt;c&gt;d\"e'</Escaped>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Empty />"), std::string::npos) << xml;
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg>\n", 0), 0u) << xml;
}

TEST(MessageWriter, EmptyTextKeepsBothTags) {
  MessageWriter w;
  add_text(w.root(), "Empty", "");
  EXPECT_NE(w.str().find("  <Empty></Empty>\n"), std::string::npos);
}

TEST(MessageWriter, EmptyDocumentIsAnEmptyRoot) {
  MessageWriter w;
  EXPECT_EQ(w.str(), "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg />\n");
}

TEST(MessageWriter, WritingIntoAClosedElementThrows) {
  MessageWriter w;
  XmlNode first = add_element(w.root(), "First");
  add_element(w.root(), "Second");  // closes First
  EXPECT_TRUE(throws_error([&] { add_text(first, "Late", "x"); }, ErrorCode::state, "MessageWriter", "closed"));
  EXPECT_TRUE(throws_error([&] { add_element(XmlNode{}, "Orphan"); }, ErrorCode::state, "Orphan", "no such element"));
}

TEST(MessageWriter, RefusesControlCharactersAndBadUtf8) {
  MessageWriter w;
  EXPECT_TRUE(throws_error([&] { add_text(w.root(), "Bell", "a\x07"); }, ErrorCode::invalid_argument, "Bell", "control"));
  EXPECT_TRUE(throws_error([&] { add_text(w.root(), "Bad", "\xC3\x28"); }, ErrorCode::invalid_argument, "Bad", "not UTF-8"));
}

TEST(ParsedMessage, UndeclaredEntitiesAreFoundOutsideCdataAndComments) {
  const XmlLimits limits;
  EXPECT_NO_THROW(ParsedMessage("<XmlMsg><A>&amp;&#38;&#x26;</A><!-- &nope; --><![CDATA[&nope;]]></XmlMsg>", limits));
  EXPECT_TRUE(throws_error([&] { ParsedMessage("<XmlMsg><A>&amp;&nope;</A></XmlMsg>", limits); },
                           ErrorCode::malformed_input, "XML document", "undeclared entity reference at byte offset 16"));
  EXPECT_TRUE(throws_error([&] { ParsedMessage("<XmlMsg><!-- x --><A>&#;</A></XmlMsg>", limits); },
                           ErrorCode::malformed_input, "XML document", "undeclared entity"));
  // Many references and comments: found in one pass (a quadratic scan would take seconds here).
  std::string many = "<XmlMsg><A>";
  for (int i = 0; i < 200000; ++i) many += "&amp;<!---->";
  many += "&x;</A></XmlMsg>";
  EXPECT_TRUE(throws_error([&] { ParsedMessage(many, XmlLimits{many.size()}); }, ErrorCode::malformed_input,
                           "XML document", "undeclared entity"));
}

TEST(ParsedMessage, InvalidUtf8IsFoundAfterLongAsciiRuns) {
  const std::string ascii(1001, 'a');
  EXPECT_TRUE(throws_error([&] { ParsedMessage("<XmlMsg><A>" + ascii + "\xE3\x81</A></XmlMsg>", XmlLimits{}); },
                           ErrorCode::malformed_input, "XML document", "invalid UTF-8 at byte offset 1012"));
  EXPECT_NO_THROW(ParsedMessage("<XmlMsg><A>" + ascii + "\xE3\x81\x82</A></XmlMsg>", XmlLimits{}));
}

TEST(Element, ErrorPathsAreWorkedOutFromTheDocument) {
  const ParsedMessage doc("<XmlMsg><L><R><X>1</X></R><R><X>a</X></R></L><One><Y/></One></XmlMsg>", XmlLimits{});
  const std::vector<Element> rows = doc.root().child("L").children("R");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].child("X").path(), "XmlMsg/L/R[2]/X");
  EXPECT_EQ(doc.root().child("One").child("Y").path(), "XmlMsg/One/Y");
  EXPECT_TRUE(throws_error([&] { (void)doc.root().child("One").child("Z"); }, ErrorCode::malformed_input,
                           "XmlMsg/One/Z", "missing element"));
}

}  // namespace
}  // namespace onshi::ons::detail
