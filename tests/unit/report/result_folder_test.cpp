#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/flow/result_folder.hpp"

namespace onshi::flow {
namespace {

TEST(ResultFolder, FaceFileNameFollowsTheTerminalGrammar) {
  // 2026-11-24 05:39:42 UTC is 14:39:42 JST.
  const WallTime t = std::chrono::system_clock::from_time_t(1795498782);
  EXPECT_EQ(ResultFolder::face_file_name("1312345678", "0000010001", t),
            "OQSsiquc01res_face_13123456780000010001_20261124143942.xml");
}

TEST(ResultFolder, CreatesFoldersAndDeliversUniqueCompleteFiles) {
  const auto root = std::filesystem::temp_directory_path() / ("onshi-results-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  ResultFolder folder(root);
  for (const char* sub : {"req", "res", "face"}) EXPECT_TRUE(std::filesystem::is_directory(root / sub)) << sub;
  const WallTime t = std::chrono::system_clock::now();
  const auto a = folder.deliver_face_result("<XmlMsg/>", "1312345678", t);
  const auto b = folder.deliver_face_result("<XmlMsg/>", "1312345678", t);
  EXPECT_NE(a, b);  // same second, still two files
  EXPECT_TRUE(std::regex_match(a.filename().string(),
                               std::regex(R"(OQSsiquc01res_face_1312345678[0-9]{10}_[0-9]{14}\.xml)")));
  std::ifstream in(a);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "<XmlMsg/>");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(root / "face")) ++entries;
  EXPECT_EQ(entries, 2u);  // no temporary files left in face/
  std::filesystem::remove_all(root);
}

// [output] encoding = "shift_jis": the face file is CP932 with a declaration and a
// CharacterCodeIdentifier that say so (a UTF-8 file saying Shift_JIS was the bug).
TEST(ResultFolder, AShiftJisFolderWritesCp932WithAMatchingCharacterCodeIdentifier) {
  const auto root = std::filesystem::temp_directory_path() / ("onshi-results-sjis-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  ResultFolder folder(root, ons::TextEncoding::shift_jis);
  EXPECT_EQ(folder.encoding(), ons::TextEncoding::shift_jis);
  const std::string canonical =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><XmlMsg><MessageHeader>"
      "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader><MessageBody><Name>髙橋～</Name>"
      "</MessageBody></XmlMsg>";
  const auto path = folder.deliver_face_result(canonical, "1312345678", std::chrono::system_clock::now());
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("encoding=\"Shift_JIS\""), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("\xFB\xFC"), std::string::npos) << "髙 in CP932";     // IBM extension
  EXPECT_NE(bytes.find("\x81\x60"), std::string::npos) << "～ in CP932";     // U+FF5E
  EXPECT_EQ(bytes.find("\xE9\xAB\x99"), std::string::npos) << "no UTF-8 髙 left";
  std::filesystem::remove_all(root);
}

TEST(ResultFolder, UnwritableRootIsAnIoError) {
  try {
    ResultFolder folder("/proc/onshi-cannot-create");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(e.context().find("/proc/onshi-cannot-create"), std::string::npos);
  }
}

}  // namespace
}  // namespace onshi::flow
