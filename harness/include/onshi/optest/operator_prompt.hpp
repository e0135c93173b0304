#pragma once
// Operator prompts (docs/optest.md, "Operator prompts"): some checks need a person on a
// physical rig — place the card, staff confirm 目視確認, a witness signs off. A prompt has a
// text, the answers it allows and a timeout. Who answers, in order:
//   1. the answers file (`optest --answers FILE`), by the prompt's id (the check's name);
//   2. the harness itself, when the rig is emulated and the prompt is about a physical act the
//      harness does (`when = "physical"`, the default);
//   3. a person at a terminal: when the input is a TTY, one key per answer (its first letter),
//      waited for no longer than the timeout.
// No stdin, or stdin that is not a TTY, means unattended. No answer within the timeout, or no
// one to ask, is an unanswered prompt — the check fails; it never hangs.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::optest {

inline constexpr const char* kAnswersSchema = "onshi-hil/optest-answers/1";

struct Prompt {
  std::string id;                    // the key in an answers file; the check's name
  std::string text;                  // what the person is asked, in their words
  std::vector<std::string> answers;  // allowed; each starts with its own key letter
  std::chrono::milliseconds timeout{60'000};
  bool physical_act = true;          // the harness answers it itself on an emulated rig
};

enum class AnswerSource { answers_file, harness, keyboard, none };
std::string_view to_string(AnswerSource source);

struct PromptAnswer {
  std::optional<std::string> answer;  // one of the prompt's answers; empty when unanswered
  AnswerSource source = AnswerSource::none;
  std::string why_unanswered;         // "no key within 2 s", "unattended: ..."
  std::chrono::milliseconds waited{0};
};

// The answers for an unattended run: a TOML file
//   schema = "onshi-hil/optest-answers/1"
//   [answers]
//   "reception.visual_confirmation" = "confirmed"
// Error(config) naming file, line and key for anything else; Error(not_found) when missing.
struct OperatorAnswers {
  std::filesystem::path source;
  std::map<std::string, std::string, std::less<>> by_prompt;
};
OperatorAnswers load_operator_answers(const std::filesystem::path& file);
OperatorAnswers parse_operator_answers(std::string_view text, const std::string& name);

// Waits for one key on `fd` for at most `timeout`; nothing when none came or the input closed.
// A TTY is put in non-canonical, no-echo mode for the wait and restored after.
std::optional<char> read_key(int fd, std::chrono::milliseconds timeout);

class OperatorConsole {
 public:
  struct Options {
    int input_fd = 0;                      // stdin; -1: no input at all
    std::ostream* out = nullptr;           // where a prompt is shown; nullptr: not shown
    std::optional<OperatorAnswers> answers;
    bool emulated_rig = true;              // the harness does the physical acts itself
    // Called around a prompt shown to a person, so a live status line can step aside.
    std::function<void(bool showing)> on_prompt;
  };
  explicit OperatorConsole(Options options);

  // `harness_answer`: what the harness does itself on an emulated rig (empty: the first answer).
  // An answer in the file that the prompt does not allow is Error(config) naming the file.
  PromptAnswer ask(const Prompt& prompt, const std::string& harness_answer = {}) const;
  bool attended() const;  // a person can be asked: the input is a TTY

 private:
  Options options_;
};

}  // namespace onshi::optest
