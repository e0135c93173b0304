#pragma once
// The reference receipt computer's journal: one JSON object per line, appended and flushed
// as it happens, for the harness to read (docs/sut.md, "The reference receipt computer"):
//   {"time":"…","event":"face"|"res","file":"face/NAME","accepted":true,"reason":"",
//    "encoding":"shift_jis","character_code_identifier":"1","processing_result_status":"1",
//    "error_code":"","action":"archived"|"left"}
//   {"time":"…","event":"request","file":"req/NAME","encoding":"shift_jis","fault":"none"}
//   {"time":"…","event":"started"|"stopping", …}
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace onshi::reference_rc {

class Journal {
 public:
  explicit Journal(const std::filesystem::path& file);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  bool is_open() const { return file_ != nullptr; }

  // Fields after "time": strings, except the values of `flags`, which are written as JSON booleans.
  void write(const std::vector<std::pair<std::string, std::string>>& fields,
             const std::vector<std::pair<std::string, bool>>& flags = {});

 private:
  std::FILE* file_;
};

}  // namespace onshi::reference_rc
