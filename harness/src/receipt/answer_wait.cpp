#include "onshi/receipt/answer_wait.hpp"

#include <algorithm>

#include "onshi/terminal/folder_watcher.hpp"

namespace onshi::receipt {

AwaitedAnswer await_answer(const std::filesystem::path& res_dir, const std::string& name, Duration deadline,
                           std::chrono::milliseconds settle, const Clock& clock, const SutEnded& sut_ended) {
  terminal::FolderWatcher watcher(res_dir, settle, clock, [&name](const std::string& file) { return file == name; });
  const MonotonicTime started = clock.monotonic_now();
  AwaitedAnswer out;
  for (;;) {
    const auto ready = watcher.ready();
    out.waited = clock.monotonic_now() - started;
    if (!ready.empty()) {
      out.outcome = AwaitedAnswer::Outcome::arrived;
      out.file = ready.front();
      return out;
    }
    if (sut_ended) {
      if (auto ended = sut_ended()) {
        // An answer it renamed in just before ending still counts.
        if (const auto last = watcher.ready(); !last.empty()) {
          out.outcome = AwaitedAnswer::Outcome::arrived;
          out.file = last.front();
          return out;
        }
        out.outcome = AwaitedAnswer::Outcome::terminal_ended;
        out.terminal_end = *ended;
        return out;
      }
    }
    if (out.waited >= deadline) {
      out.outcome = AwaitedAnswer::Outcome::deadline_passed;
      return out;
    }
    // Woken early by any change in res/; the bound lets a settling file mature and lets the
    // terminal's end be seen.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - out.waited) +
                      std::chrono::milliseconds(1);
    watcher.wait(std::min(left, std::chrono::milliseconds(100)));
  }
}

}  // namespace onshi::receipt
