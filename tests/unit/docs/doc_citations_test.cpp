// The repository carries its own docs: comments, READMEs, scripts and fixtures cite files
// under docs/, every docs/….md they cite exists, and nothing cites the background notes
// that are not part of the repository. A failure names the file and line.
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = ONSHI_SOURCE_DIR;

// Spelled in two pieces so this file does not cite them itself.
const std::vector<std::string> kOutsideNotes = {std::string("DESIGN") + ".md", std::string("DOMAIN") + ".md"};

bool skipped_directory(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return name.empty() || name.front() == '.' || name.rfind("build", 0) == 0 || name == "out" || name == "onshi-out";
}

bool scanned_file(const fs::path& file) {
  static const std::set<std::string> extensions = {".hpp", ".cpp", ".h",    ".md",   ".txt", ".cmake",
                                                   ".toml", ".sh",  ".py",  ".json", ".xml", ".in"};
  return extensions.count(file.extension().string()) > 0 || file.filename() == "CMakeLists.txt";
}

std::vector<fs::path> source_files() {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kSourceDir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && skipped_directory(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && scanned_file(it->path())) files.push_back(it->path());
  }
  return files;
}

struct Line {
  fs::path file;
  std::size_t number = 0;
  std::string text;
};

std::string where(const Line& line) {
  return fs::relative(line.file, kSourceDir).string() + ":" + std::to_string(line.number);
}

std::vector<Line> lines_of(const fs::path& file) {
  std::vector<Line> lines;
  std::ifstream in(file, std::ios::binary);
  std::string text;
  std::size_t number = 0;
  while (std::getline(in, text)) lines.push_back({file, ++number, text});
  return lines;
}

bool path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '/' || c == '.';
}

// Every "docs/<path>.md" on the line (a path made of [A-Za-z0-9_./-], ending in .md).
std::vector<std::string> docs_references(std::string_view text) {
  std::vector<std::string> refs;
  for (std::size_t at = text.find("docs/"); at != std::string_view::npos; at = text.find("docs/", at + 1)) {
    // Ours only: "docs/…" on its own or after "../"; not "mydocs/" nor "other/repo/docs/".
    if (at > 0 && path_char(text[at - 1]) && !(at >= 3 && text.substr(at - 3, 3) == "../")) continue;
    std::size_t end = at;
    while (end < text.size() && path_char(text[end])) ++end;
    std::string ref(text.substr(at, end - at));
    while (!ref.empty() && ref.back() == '.') ref.pop_back();  // sentence full stop
    if (ref.size() > 3 && ref.compare(ref.size() - 3, 3, ".md") == 0) refs.push_back(ref);
  }
  return refs;
}

TEST(DocsReferences, FindsDocsPathsAndIgnoresOthers) {
  EXPECT_EQ(docs_references("// (docs/domain/card.md, PINs)"), std::vector<std::string>{"docs/domain/card.md"});
  EXPECT_EQ(docs_references("see docs/fault-plan.md."), std::vector<std::string>{"docs/fault-plan.md"});
  EXPECT_EQ(docs_references("[x](../../docs/domain/vpcd.md)"), std::vector<std::string>{"docs/domain/vpcd.md"});
  EXPECT_TRUE(docs_references("docs/ holds the pages; mydocs/a.md is not ours").empty());
  EXPECT_TRUE(docs_references("AokiApp/jsapdu packages/mynacard/docs/tlv-schemas.md").empty());
}

TEST(DocCitations, NothingCitesNotesOutsideTheRepository) {
  std::size_t files = 0;
  for (const fs::path& file : source_files()) {
    ++files;
    for (const Line& line : lines_of(file)) {
      for (const std::string& notes : kOutsideNotes) {
        EXPECT_EQ(line.text.find(notes), std::string::npos)
            << where(line) << " cites " << notes << ", which is not in the repository; cite the docs/ page instead";
      }
    }
  }
  EXPECT_GT(files, 100u) << "scanned only " << files << " files under " << kSourceDir;
}

TEST(DocCitations, EveryCitedDocsPageExists) {
  std::size_t references = 0;
  for (const fs::path& file : source_files()) {
    for (const Line& line : lines_of(file)) {
      for (const std::string& ref : docs_references(line.text)) {
        ++references;
        EXPECT_TRUE(fs::is_regular_file(kSourceDir / ref)) << where(line) << " cites " << ref << ", which does not exist";
      }
    }
  }
  EXPECT_GT(references, 20u) << "found only " << references << " docs/ citations under " << kSourceDir;
}

}  // namespace
}  // namespace onshi::testing
