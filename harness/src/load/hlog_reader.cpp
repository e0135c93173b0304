#include "onshi/load/hlog_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/load/hdr_encoding.hpp"

namespace onshi::load {
namespace {

double number(std::string_view text, const std::string& where, const char* what) {
  double v = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw Error(ErrorCode::malformed_input, std::string(what) + " '" + std::string(text) + "' is not a number", where);
  }
  return v;
}

// "#[StartTime: 1764621111.250 (seconds since epoch), ...]" -> 1764621111.250
bool header_seconds(const std::string& line, std::string_view key, double& out, const std::string& where) {
  if (line.rfind(key, 0) != 0) return false;
  std::string_view rest = std::string_view(line).substr(key.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const std::size_t end = rest.find_first_of(" ]");
  out = number(rest.substr(0, end), where, "time");
  return true;
}

}  // namespace

HdrHistogram HlogContents::whole(const std::string& tag) const {
  HdrHistogram sum;
  bool first = true;
  for (const HlogInterval& i : intervals) {
    if (i.tag != tag) continue;
    if (first && !(i.histogram.layout() == sum.layout())) sum = HdrHistogram(i.histogram.layout());
    first = false;
    sum.add(i.histogram);
  }
  return sum;
}

std::vector<std::string> HlogContents::tags() const {
  std::vector<std::string> out;
  for (const HlogInterval& i : intervals) {
    if (std::find(out.begin(), out.end(), i.tag) == out.end()) out.push_back(i.tag);
  }
  return out;
}

HlogContents read_hlog(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read the histogram log", file.string());
  HlogContents log;
  bool have_base = false;
  std::string line;
  for (std::size_t number_of_line = 1; std::getline(in, line); ++number_of_line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = file.string() + ":" + std::to_string(number_of_line);
    if (line.empty() || line[0] == '"') continue;
    if (line[0] == '#') {
      header_seconds(line, "#[StartTime:", log.start_time_s, where);
      if (header_seconds(line, "#[BaseTime:", log.base_time_s, where)) have_base = true;
      continue;
    }
    std::vector<std::string_view> fields;
    std::string_view rest = line;
    for (std::size_t comma; (comma = rest.find(',')) != std::string_view::npos;) {
      fields.push_back(rest.substr(0, comma));
      rest.remove_prefix(comma + 1);
    }
    fields.push_back(rest);
    HlogInterval interval;
    std::size_t first = 0;
    if (!fields.empty() && fields[0].rfind("Tag=", 0) == 0) {
      interval.tag = std::string(fields[0].substr(4));
      first = 1;
    }
    if (fields.size() != first + 4) {
      throw Error(ErrorCode::malformed_input, "expected [Tag=T,]start,length,max,histogram", where);
    }
    interval.start_s = number(fields[first], where, "interval start");
    interval.length_s = number(fields[first + 1], where, "interval length");
    try {
      interval.histogram = decode_compressed_base64(fields[first + 3]);
    } catch (const Error& e) {
      throw Error(ErrorCode::malformed_input, e.message(), where);
    }
    log.intervals.push_back(std::move(interval));
  }
  if (!have_base) log.base_time_s = log.start_time_s;
  return log;
}

}  // namespace onshi::load
