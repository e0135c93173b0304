// write_file_atomically: the content lands whole, with the mode asked for (0600 for keys)
// whatever the umask, no temporary is left beside it, and a failure names the path.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"

namespace onshi {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("onshi-atomic-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> names_in_dir() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    return names;
  }

  fs::path dir_;
};

TEST_F(AtomicFile, WritesTheContentCreatingParents) {
  const fs::path file = dir_ / "a" / "b" / "record.json";
  write_file_atomically(file, std::string("{\"x\":1}\n\0tail", 13));
  EXPECT_EQ(read(file), std::string("{\"x\":1}\n\0tail", 13));
  write_file_atomically(file, "second", 0644, FileSync::to_disk);  // replaces, not appends
  EXPECT_EQ(read(file), "second");
}

TEST_F(AtomicFile, KeysGetMode0600WhateverTheUmask) {
  const mode_t old_umask = ::umask(0);  // a umask that would leave the file world-readable
  const fs::path key = dir_ / "key.pem";
  write_file_atomically(key, "synthetic key material\n", 0600);
  ::umask(old_umask);
  struct stat st{};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AtomicFile, LeavesNoTemporaryBehind) {
  for (int i = 0; i < 3; ++i) write_file_atomically(dir_ / "out.xml", "<x>" + std::to_string(i) + "</x>");
  EXPECT_EQ(names_in_dir(), std::vector<std::string>{"out.xml"});
}

TEST_F(AtomicFile, AFailureNamesThePathAndLeavesNoTemporary) {
  fs::create_directories(dir_ / "taken");  // a directory where the file should go: rename fails
  try {
    write_file_atomically(dir_ / "taken", "x");
    FAIL() << "wrote over a directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.context(), (dir_ / "taken").string()) << e.what();
    EXPECT_EQ(e.message().rfind("cannot write file: ", 0), 0u) << e.what();
  }
  EXPECT_EQ(names_in_dir(), std::vector<std::string>{"taken"});

  std::ofstream(dir_ / "plain") << "a file, not a folder";
  try {
    write_file_atomically(dir_ / "plain" / "inner.txt", "x");
    FAIL() << "wrote below a regular file";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.context(), (dir_ / "plain").string()) << e.what();
  }
}

}  // namespace
}  // namespace onshi
