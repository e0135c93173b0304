// docs/fault-plan.md stays true: every ```json block in it is a fault plan the mock ONS's
// own parser accepts, and so is every plan shipped in fixtures/faults/. A block that does
// not parse fails the test with its number, its line and the heading it sits under.
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;

struct CodeBlock {
  std::size_t number = 0;  // 1-based, among the ```json blocks
  std::size_t line = 0;    // 1-based line of the opening fence
  std::string heading;     // the nearest Markdown heading above it
  std::string text;
  bool closed = false;
};

std::string trimmed_start(const std::string& line) {
  const std::size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : line.substr(first);
}

// The ```json blocks of a Markdown text. Fences of other languages are skipped whole, so a
// ```json inside a ```text block is not taken for a plan.
std::vector<CodeBlock> json_blocks(const std::string& markdown) {
  std::vector<CodeBlock> blocks;
  std::istringstream in(markdown);
  std::string line;
  std::string heading;
  std::size_t line_number = 0;
  bool in_fence = false;
  bool collecting = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string start = trimmed_start(line);
    if (!in_fence) {
      if (start.rfind('#', 0) == 0) heading = start;
      if (start.rfind("```", 0) != 0) continue;
      in_fence = true;
      const std::string info = trimmed_start(start.substr(3));
      collecting = info == "json";
      if (collecting) blocks.push_back({blocks.size() + 1, line_number, heading, {}, false});
      continue;
    }
    if (start.rfind("```", 0) == 0 && trimmed_start(start.substr(3)).empty()) {
      in_fence = false;
      if (collecting) blocks.back().closed = true;
      collecting = false;
      continue;
    }
    if (collecting) blocks.back().text += line + "\n";
  }
  return blocks;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string describe(const CodeBlock& block) {
  return "```json block " + std::to_string(block.number) + " (line " + std::to_string(block.line) + ", under '" +
         block.heading + "')";
}

// Empty when the block is a plan parse_fault_plan accepts, else why not.
std::string parse_problem(const CodeBlock& block) {
  if (!block.closed) return describe(block) + " has no closing fence";
  try {
    parse_fault_plan(block.text, "docs/fault-plan.md");
  } catch (const Error& e) {
    return describe(block) + " does not parse: " + e.what();
  }
  return {};
}

TEST(FaultPlanDocExtraction, FindsJsonBlocksWithTheirLinesAndHeadingsAndSkipsOtherFences) {
  const std::string markdown =
      "# Title\n"
      "## Rules\n"
      "```json\n"
      "{\"rules\": []}\n"
      "```\n"
      "```text\n"
      "```json\n"
      "not a plan\n"
      "```\n"
      "### Bad one\n"
      "  ```json\n"
      "{\"rules\": [{\"kind\": \"explode\"}]}\n"
      "  ```\n";
  const std::vector<CodeBlock> blocks = json_blocks(markdown);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].line, 3u);
  EXPECT_EQ(blocks[0].heading, "## Rules");
  EXPECT_EQ(parse_problem(blocks[0]), "");
  EXPECT_EQ(blocks[1].line, 11u);
  EXPECT_EQ(blocks[1].heading, "### Bad one");
  const std::string problem = parse_problem(blocks[1]);
  EXPECT_NE(problem.find("```json block 2 (line 11, under '### Bad one')"), std::string::npos) << problem;
  EXPECT_NE(problem.find("unknown fault kind 'explode'"), std::string::npos) << problem;
}

TEST(FaultPlanDocExtraction, AnUnclosedBlockIsAProblem) {
  const std::vector<CodeBlock> blocks = json_blocks("```json\n{\"rules\": []}\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(parse_problem(blocks[0]).find("no closing fence"), std::string::npos);
}

TEST(FaultPlanDoc, EveryJsonBlockIsAPlanTheParserAccepts) {
  const std::filesystem::path doc = ONSHI_FAULT_PLAN_DOC;
  ASSERT_TRUE(std::filesystem::is_regular_file(doc)) << doc;
  const std::vector<CodeBlock> blocks = json_blocks(read_text(doc));
  // The document shows one example per rule kind at least; fewer blocks means the
  // extraction (or the document) lost them.
  EXPECT_GE(blocks.size(), 10u) << "only " << blocks.size() << " ```json blocks in " << doc;
  for (const CodeBlock& block : blocks) {
    const std::string problem = parse_problem(block);
    EXPECT_EQ(problem, "") << doc.string();
  }
}

TEST(FaultPlanDoc, EveryShippedFixturePlanLoads) {
  const std::filesystem::path dir = ONSHI_FAULT_FIXTURES_DIR;
  std::size_t plans = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    ++plans;
    try {
      load_fault_plan(entry.path().string());
    } catch (const Error& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_GT(plans, 0u) << "no fault plans in " << dir;
}

}  // namespace
}  // namespace onshi::testing
