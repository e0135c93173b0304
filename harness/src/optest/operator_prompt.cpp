#include "onshi/optest/operator_prompt.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::optest {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Restores a TTY's mode however the wait ends.
class RawMode {
 public:
  explicit RawMode(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
  ~RawMode() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

std::string seconds_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

char key_of(const std::string& answer) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(answer.empty() ? '\0' : answer[0])));
}

std::string choices_text(const Prompt& prompt) {
  std::string out;
  for (const std::string& a : prompt.answers) out += (out.empty() ? "" : " / ") + ("[" + a.substr(0, 1) + "]" + a.substr(1));
  return out;
}

bool allowed(const Prompt& prompt, const std::string& answer) {
  for (const std::string& a : prompt.answers) {
    if (a == answer) return true;
  }
  return false;
}

}  // namespace

std::string_view to_string(AnswerSource source) {
  switch (source) {
    case AnswerSource::answers_file: return "answers file";
    case AnswerSource::harness: return "the harness (emulated rig)";
    case AnswerSource::keyboard: return "operator at the terminal";
    case AnswerSource::none: return "nobody";
  }
  return "unknown";
}

namespace {

OperatorAnswers read_answers(const config::TomlReader& r, std::filesystem::path source) {
  const toml::table& root = r.root();
  r.only_keys(root, {"schema", "answers"});
  if (const std::string schema = r.required_string(root, "schema"); schema != kAnswersSchema) {
    r.fail(*root.get("schema"), "schema", "expected \"" + std::string(kAnswersSchema) + "\", got \"" + schema + "\"");
  }
  OperatorAnswers out;
  out.source = std::move(source);
  for (const auto& [key, value] : r.required_table(root, "answers")) {
    const auto answer = value.value<std::string>();
    if (!answer) r.fail(value, "answers." + std::string(key.str()), "expected a string (one of the prompt's answers)");
    out.by_prompt.emplace(std::string(key.str()), *answer);
  }
  return out;
}

}  // namespace

OperatorAnswers parse_operator_answers(std::string_view text, const std::string& name) {
  return read_answers(config::TomlReader(text, name), name);
}

OperatorAnswers load_operator_answers(const std::filesystem::path& file) {
  return read_answers(config::TomlReader(file), file);  // not_found and syntax errors name the file
}

std::optional<char> read_key(int fd, std::chrono::milliseconds timeout) {
  if (fd < 0) return std::nullopt;
  const bool tty = ::isatty(fd) == 1;
  std::optional<RawMode> raw;
  if (tty) raw.emplace(fd);
  const auto deadline = SteadyClock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;  // closed: nobody will answer
    return c;
  }
}

OperatorConsole::OperatorConsole(Options options) : options_(std::move(options)) {}

bool OperatorConsole::attended() const { return options_.input_fd >= 0 && ::isatty(options_.input_fd) == 1; }

PromptAnswer OperatorConsole::ask(const Prompt& prompt, const std::string& harness_answer) const {
  PromptAnswer out;
  if (options_.answers) {
    if (const auto it = options_.answers->by_prompt.find(prompt.id); it != options_.answers->by_prompt.end()) {
      if (!allowed(prompt, it->second)) {
        std::string known;
        for (const std::string& a : prompt.answers) known += (known.empty() ? "" : ", ") + a;
        throw Error(ErrorCode::config,
                    "answer '" + it->second + "' to prompt '" + prompt.id + "' is not one it allows (" + known + ")",
                    options_.answers->source.string());
      }
      out.answer = it->second;
      out.source = AnswerSource::answers_file;
      return out;
    }
  }
  if (options_.emulated_rig && prompt.physical_act) {
    out.answer = harness_answer.empty() ? prompt.answers.front() : harness_answer;
    out.source = AnswerSource::harness;
    return out;
  }
  if (!attended()) {
    out.why_unanswered = "unattended (no terminal on stdin) and " +
                         (options_.answers ? "the answers file " + options_.answers->source.string() + " has no answer for '" +
                                                 prompt.id + "'"
                                           : std::string("no --answers file"));
    return out;
  }
  if (options_.on_prompt) options_.on_prompt(true);
  if (options_.out != nullptr) {
    *options_.out << "  ? " << prompt.text << "  " << choices_text(prompt) << " (within " << seconds_text(prompt.timeout)
                  << ") " << std::flush;
  }
  const auto start = SteadyClock::now();
  const auto deadline = start + prompt.timeout;
  while (!out.answer) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    const std::optional<char> key = read_key(options_.input_fd, std::max(left, std::chrono::milliseconds(0)));
    if (!key) break;
    for (const std::string& a : prompt.answers) {
      if (key_of(a) == std::tolower(static_cast<unsigned char>(*key))) out.answer = a;
    }
  }
  out.waited = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
  if (out.answer) {
    out.source = AnswerSource::keyboard;
  } else {
    out.why_unanswered = "no answer within " + seconds_text(prompt.timeout);
  }
  if (options_.out != nullptr) *options_.out << (out.answer ? *out.answer : std::string("(no answer)")) << "\n" << std::flush;
  if (options_.on_prompt) options_.on_prompt(false);
  return out;
}

}  // namespace onshi::optest
