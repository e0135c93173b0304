#include "journal.hpp"

#include <chrono>
#include <ctime>

namespace onshi::reference_rc {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  const std::string millis = std::to_string(1000 + ms).substr(1);
  return std::string(buffer) + "." + millis + "Z";
}

}  // namespace

Journal::Journal(const std::filesystem::path& file) : file_(std::fopen(file.c_str(), "a")) {}

Journal::~Journal() {
  if (file_ != nullptr) std::fclose(file_);
}

void Journal::write(const std::vector<std::pair<std::string, std::string>>& fields,
                    const std::vector<std::pair<std::string, bool>>& flags) {
  if (file_ == nullptr) return;
  std::string line = "{\"time\":" + json_string(utc_now());
  for (const auto& [key, value] : fields) line += "," + json_string(key) + ":" + json_string(value);
  for (const auto& [key, value] : flags) line += "," + json_string(key) + ":" + (value ? "true" : "false");
  line += "}\n";
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
}

}  // namespace onshi::reference_rc
