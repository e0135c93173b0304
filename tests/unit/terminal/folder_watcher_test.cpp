#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "onshi/terminal/folder_watcher.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::terminal {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kSettle{500};

class FolderWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("onshi-folder-watcher-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "req");
    std::filesystem::create_directories(root_ / "staging");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  FolderWatcher watcher() {
    return FolderWatcher(root_ / "req", kSettle, clock_, [](const std::string& name) { return name.ends_with(".xml"); });
  }
  // What a careful receipt computer does: write elsewhere, then rename into req/.
  void write_then_rename(const std::string& name, const std::string& content) const {
    std::ofstream(root_ / "staging" / name, std::ios::binary) << content;
    std::filesystem::rename(root_ / "staging" / name, root_ / "req" / name);
  }
  static std::vector<std::string> names(const std::vector<std::filesystem::path>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) out.push_back(p.filename().string());
    return out;
  }

  std::filesystem::path root_;
  testing::TestClock clock_;
};

TEST_F(FolderWatcherTest, AFileRenamedInIsReadyAtOnce) {
  FolderWatcher w = watcher();
  write_then_rename("a.xml", "<a/>");
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"a.xml"});
  EXPECT_FALSE(w.pending());
}

TEST_F(FolderWatcherTest, AFileWrittenSlowlyInPlaceIsNotReadBeforeItHasSettled) {
  FolderWatcher w = watcher();
  std::ofstream out(root_ / "req" / "slow.xml", std::ios::binary);
  out << "<XmlMsg>" << std::flush;
  EXPECT_TRUE(w.ready().empty());
  EXPECT_TRUE(w.pending());

  clock_.advance(kSettle - milliseconds(100));
  out << "<MessageHeader/>" << std::flush;  // the writer is still at it
  EXPECT_TRUE(w.ready().empty());
  clock_.advance(kSettle - milliseconds(1));  // not yet settled since the last write
  EXPECT_TRUE(w.ready().empty());

  out << "</XmlMsg>" << std::flush;
  out.close();
  EXPECT_TRUE(w.ready().empty());
  clock_.advance(kSettle - milliseconds(1));
  EXPECT_TRUE(w.ready().empty());
  clock_.advance(milliseconds(1));
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"slow.xml"});
}

TEST_F(FolderWatcherTest, AFileRenamedInAndThenWrittenToMustSettle) {
  FolderWatcher w = watcher();
  std::ofstream(root_ / "staging" / "b.xml", std::ios::binary) << "<a>";
  std::filesystem::rename(root_ / "staging" / "b.xml", root_ / "req" / "b.xml");
  std::ofstream(root_ / "req" / "b.xml", std::ios::binary | std::ios::app) << "</a>";
  EXPECT_TRUE(w.ready().empty());
  clock_.advance(kSettle);
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"b.xml"});
}

TEST_F(FolderWatcherTest, FilesPresentBeforeItStartedSettleFirst) {
  std::ofstream(root_ / "req" / "old.xml", std::ios::binary) << "<a/>";
  FolderWatcher w = watcher();
  EXPECT_TRUE(w.ready().empty());
  clock_.advance(kSettle);
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"old.xml"});
}

TEST_F(FolderWatcherTest, EachFileIsHandedOutOnceUntilANewOneTakesItsName) {
  FolderWatcher w = watcher();
  write_then_rename("c.xml", "<a/>");
  ASSERT_EQ(w.ready().size(), 1U);
  clock_.advance(kSettle * 4);
  EXPECT_TRUE(w.ready().empty());
  std::filesystem::remove(root_ / "req" / "c.xml");
  write_then_rename("c.xml", "<b/>");
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"c.xml"});
}

TEST_F(FolderWatcherTest, UnwantedNamesAreNeverHandedOut) {
  FolderWatcher w = watcher();
  write_then_rename("notes.txt", "x");
  std::ofstream(root_ / "req" / ".partial.tmp", std::ios::binary) << "x";
  write_then_rename("d.xml", "<a/>");
  clock_.advance(kSettle * 2);
  EXPECT_EQ(names(w.ready()), std::vector<std::string>{"d.xml"});
  clock_.advance(kSettle * 2);
  EXPECT_TRUE(w.ready().empty());
  EXPECT_FALSE(w.pending());
}

TEST_F(FolderWatcherTest, ReadyFilesComeInNameOrder) {
  FolderWatcher w = watcher();
  write_then_rename("z.xml", "<a/>");
  write_then_rename("m.xml", "<a/>");
  write_then_rename("a.xml", "<a/>");
  EXPECT_EQ(names(w.ready()), (std::vector<std::string>{"a.xml", "m.xml", "z.xml"}));
}

}  // namespace
}  // namespace onshi::terminal
