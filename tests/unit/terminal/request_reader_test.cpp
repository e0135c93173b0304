#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/ons/shift_jis.hpp"
#include "onshi/terminal/request_reader.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::terminal {
namespace {

class RequestReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onshi-request-reader-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& bytes) const {
    const auto file = dir_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
  std::filesystem::path dir_;
};

// CRLF, tabs and a hand-written declaration with single quotes, as receipt computers write.
const std::string kBody = "\r\n<XmlMsg>\r\n\t<Name>髙橋　～</Name>\r\n</XmlMsg>\r\n";

TEST_F(RequestReaderTest, ReadsShiftJisByItsDeclarationAsCp932) {
  const std::string utf8 = "<?xml version='1.0' encoding='Shift_JIS' standalone='no'?>" + kBody;
  const auto file = write("sjis.xml", ons::utf8_to_shift_jis(utf8));
  const RequestText text = read_request_file(file, 4096);
  EXPECT_EQ(text.encoding, ons::TextEncoding::shift_jis);
  EXPECT_NE(text.xml.find("髙橋　～"), std::string::npos) << text.xml;
  EXPECT_NE(text.xml.find("encoding='UTF-8'"), std::string::npos) << text.xml;
}

TEST_F(RequestReaderTest, ReadsUtf8WithAndWithoutADeclaration) {
  EXPECT_EQ(read_request_file(write("decl.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + kBody), 4096).encoding,
            ons::TextEncoding::utf8);
  const RequestText bare = read_request_file(write("bare.xml", kBody), 4096);
  EXPECT_EQ(bare.encoding, ons::TextEncoding::utf8);
  EXPECT_NE(bare.xml.find("髙橋"), std::string::npos);
}

TEST_F(RequestReaderTest, RefusesAnOversizedFileNamingItAndTheLimit) {
  const auto file = write("big.xml", std::string(5000, ' '));
  const Error e = testing::error_of([&] { read_request_file(file, 4096); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.message(), "5000 bytes exceeds the limit of 4096 bytes");
  EXPECT_EQ(e.context(), "request file " + file.string());
}

TEST_F(RequestReaderTest, RefusesAnEmptyFile) {
  const auto file = write("empty.xml", "");
  EXPECT_TRUE(testing::throws_error([&] { read_request_file(file, 4096); }, ErrorCode::malformed_input,
                                    "request file " + file.string(), "empty"));
}

TEST_F(RequestReaderTest, RefusesBytesThatAreNotTheDeclaredShiftJis) {
  // 0x81 0x20: a lead byte followed by a byte no CP932 character has as its trail.
  const auto file = write("bad-sjis.xml", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg>\x81\x20</XmlMsg>");
  const Error e = testing::error_of([&] { read_request_file(file, 4096); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_NE(e.message().find("byte offset"), std::string::npos) << e.what();
}

// Found by fuzz_terminal_request (docs/fuzzing.md): a UTF-8 file with a broken sequence (a
// two-byte lead 0xCF before another lead byte) was handed on as "UTF-8" for an encoder to refuse.
TEST_F(RequestReaderTest, RefusesBytesThatAreNotTheDeclaredUtf8) {
  const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><Id>\xe8\xa6\x8b\xcf\xe4\xb8\x80</Id></XmlMsg>";
  const auto file = write("bad-utf8.xml", xml);
  const Error e = testing::error_of([&] { read_request_file(file, 4096); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.context(), "request file " + file.string());
  EXPECT_NE(e.message().find("invalid UTF-8 at byte offset " + std::to_string(xml.find('\xcf'))), std::string::npos) << e.what();
}

TEST_F(RequestReaderTest, RefusesAnEncodingOtherThanUtf8OrShiftJis) {
  const auto file = write("euc.xml", "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><XmlMsg/>");
  const Error e = testing::error_of([&] { read_request_file(file, 4096); });
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_NE(e.message().find("EUC-JP"), std::string::npos) << e.what();
}

TEST_F(RequestReaderTest, AMissingFileIsAnIoError) {
  EXPECT_EQ(testing::error_of([&] { read_request_file(dir_ / "gone.xml", 4096); }).code(), ErrorCode::io);
}

}  // namespace
}  // namespace onshi::terminal
