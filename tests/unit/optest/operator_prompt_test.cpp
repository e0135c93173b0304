// Operator prompts (docs/optest.md, "Operator prompts"): a terminal waits for one key and gives
// up after the prompt's timeout — an unanswered prompt, never a hang; unattended runs take the
// answers file; the harness answers a physical act itself on an emulated rig; no stdin means
// unattended. The terminal is a real pseudo-terminal (posix_openpt), read in raw mode.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <sstream>

#include "onshi/core/error.hpp"
#include "onshi/optest/checklist.hpp"
#include "onshi/optest/operator_prompt.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::optest {
namespace {

using namespace std::chrono_literals;
using onshi::testing::error_of;

// A pseudo-terminal pair: what a person types goes into `master`, the harness reads `slave`.
class PseudoTerminal {
 public:
  PseudoTerminal() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
    slave_ = ::open(::ptsname(master_), O_RDWR | O_NOCTTY);
  }
  ~PseudoTerminal() {
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;
  bool ok() const { return slave_ >= 0; }
  int slave() const { return slave_; }
  void type(const std::string& keys) const { ASSERT_EQ(::write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size())); }

 private:
  int master_ = -1;
  int slave_ = -1;
};

Prompt visual_prompt(std::chrono::milliseconds timeout) {
  Prompt p;
  p.id = "reception.visual_confirmation";
  p.text = "目視確認: is it the same person?";
  p.answers = {"confirmed", "rejected"};
  p.timeout = timeout;
  return p;
}

OperatorConsole::Options at_terminal(int fd, std::ostream& shown) {
  OperatorConsole::Options o;
  o.input_fd = fd;
  o.out = &shown;
  o.emulated_rig = false;
  return o;
}

TEST(OperatorPrompt, NoKeyWithinTheTimeoutIsAnUnansweredPromptNotAHang) {
  PseudoTerminal tty;
  ASSERT_TRUE(tty.ok());
  std::ostringstream shown;
  const OperatorConsole console(at_terminal(tty.slave(), shown));
  ASSERT_TRUE(console.attended());
  const PromptAnswer a = console.ask(visual_prompt(300ms));
  EXPECT_FALSE(a.answer);
  EXPECT_EQ(a.source, AnswerSource::none);
  EXPECT_EQ(a.why_unanswered, "no answer within 300 ms");
  EXPECT_NE(shown.str().find("[c]onfirmed / [r]ejected"), std::string::npos) << shown.str();
  EXPECT_NE(shown.str().find("(no answer)"), std::string::npos) << shown.str();
}

TEST(OperatorPrompt, AKeyOnTheTerminalPicksTheAnswerItStartsAndOtherKeysAreIgnored) {
  PseudoTerminal tty;
  ASSERT_TRUE(tty.ok());
  tty.type("xR");
  std::ostringstream shown;
  const OperatorConsole console(at_terminal(tty.slave(), shown));
  const PromptAnswer a = console.ask(visual_prompt(30s));
  ASSERT_TRUE(a.answer) << a.why_unanswered;
  EXPECT_EQ(*a.answer, "rejected");
  EXPECT_EQ(a.source, AnswerSource::keyboard);
}

TEST(OperatorPrompt, TheAnswersFileAnswersFirstEvenAtATerminal) {
  PseudoTerminal tty;
  ASSERT_TRUE(tty.ok());
  std::ostringstream shown;
  OperatorConsole::Options o = at_terminal(tty.slave(), shown);
  o.answers = parse_operator_answers("schema = \"onshi-hil/optest-answers/1\"\n[answers]\n"
                                     "\"reception.visual_confirmation\" = \"confirmed\"\n",
                                     "answers.toml");
  const PromptAnswer a = OperatorConsole(o).ask(visual_prompt(30s));
  ASSERT_TRUE(a.answer);
  EXPECT_EQ(*a.answer, "confirmed");
  EXPECT_EQ(a.source, AnswerSource::answers_file);
  EXPECT_TRUE(shown.str().empty()) << "nobody was asked: " << shown.str();
}

TEST(OperatorPrompt, AnAnswerThePromptDoesNotAllowIsAnErrorNamingTheFile) {
  OperatorConsole::Options o;
  o.input_fd = -1;
  o.answers = parse_operator_answers("schema = \"onshi-hil/optest-answers/1\"\n[answers]\n"
                                     "\"reception.visual_confirmation\" = \"maybe\"\n",
                                     "answers.toml");
  const auto e = error_of([&] { (void)OperatorConsole(o).ask(visual_prompt(1s)); });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(std::string(e.what()).find("answers.toml"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("'maybe'"), std::string::npos) << e.what();
}

TEST(OperatorPrompt, OnAnEmulatedRigTheHarnessAnswersAPhysicalActButNotAWitnessPrompt) {
  OperatorConsole::Options o;
  o.input_fd = -1;
  o.emulated_rig = true;
  const OperatorConsole console(o);
  const PromptAnswer physical = console.ask(visual_prompt(1s), "confirmed");
  ASSERT_TRUE(physical.answer);
  EXPECT_EQ(physical.source, AnswerSource::harness);
  Prompt witness = visual_prompt(1s);
  witness.physical_act = false;
  const PromptAnswer nobody = console.ask(witness);
  EXPECT_FALSE(nobody.answer);
  EXPECT_NE(nobody.why_unanswered.find("unattended"), std::string::npos) << nobody.why_unanswered;
}

TEST(OperatorPrompt, StdinThatIsNotATerminalMeansUnattendedAndIsNotRead) {
  const int devnull = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(devnull, 0);
  std::ostringstream shown;
  const OperatorConsole console(at_terminal(devnull, shown));
  EXPECT_FALSE(console.attended());
  const PromptAnswer a = console.ask(visual_prompt(60s));
  ::close(devnull);
  EXPECT_FALSE(a.answer);
  EXPECT_NE(a.why_unanswered.find("unattended (no terminal on stdin) and no --answers file"), std::string::npos)
      << a.why_unanswered;
  EXPECT_TRUE(shown.str().empty());
}

TEST(OperatorPrompt, AnswersFileIsParsedStrictly) {
  const auto e = error_of([] { (void)parse_operator_answers("schema = \"x\"\n[answers]\n", "a.toml"); });
  EXPECT_NE(std::string(e.what()).find("a.toml:1"), std::string::npos) << e.what();
  const auto number = error_of([] {
    (void)parse_operator_answers("schema = \"onshi-hil/optest-answers/1\"\n[answers]\nx = 3\n", "a.toml");
  });
  EXPECT_NE(std::string(number.what()).find("a.toml:3"), std::string::npos) << number.what();
  const auto missing = error_of([] { (void)load_operator_answers("/nonexistent/answers.toml"); });
  EXPECT_EQ(missing.code(), ErrorCode::not_found);
}

TEST(OperatorPrompt, AChecklistPromptIsReadWithItsAnswersTimeoutAndWhen) {
  const Checklist c = parse_checklist(
      "schema = \"onshi-hil/optest-checklist/1\"\nname = \"t\"\n"
      "[[check]]\nname = \"witness\"\nphase = \"preflight\"\nkind = \"confirmation\"\n"
      "prompt = { text = \"Staff watched?\", answers = [\"yes\", \"no\"], timeout_s = 5, when = \"always\" }\n",
      "c.toml");
  ASSERT_TRUE(c.checks[0].prompt);
  EXPECT_EQ(c.checks[0].prompt->id, "witness");
  EXPECT_EQ(c.checks[0].prompt->timeout, 5s);
  EXPECT_FALSE(c.checks[0].prompt->physical_act);
  const auto same_key = error_of([] {
    (void)parse_checklist("schema = \"onshi-hil/optest-checklist/1\"\nname = \"t\"\n"
                          "[[check]]\nname = \"w\"\nphase = \"preflight\"\nkind = \"confirmation\"\n"
                          "prompt = { text = \"?\", answers = [\"yes\", \"yep\"] }\n",
                          "c.toml");
  });
  EXPECT_NE(std::string(same_key.what()).find("own letter"), std::string::npos) << same_key.what();
  const auto bare = error_of([] {
    (void)parse_checklist("schema = \"onshi-hil/optest-checklist/1\"\nname = \"t\"\n"
                          "[[check]]\nname = \"w\"\nphase = \"preflight\"\nkind = \"confirmation\"\n",
                          "c.toml");
  });
  EXPECT_NE(std::string(bare.what()).find("needs [check.prompt]"), std::string::npos) << bare.what();
}

}  // namespace
}  // namespace onshi::optest
