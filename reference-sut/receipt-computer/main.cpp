// onshi-reference-receipt-computer: a small receipt computer (レセコン) that stands on the
// other side of the terminal's folders, for the harness's own tests of its terminal side
// (docs/sut.md, "The reference receipt computer"). It is an independent peer: it reads the
// harness's files with libxml2 and glibc iconv, not with the harness's codecs.
//
// It polls face/ and res/; each result file is read, checked (result_file.hpp), journaled and
// archived under --archive; after each accepted face/ result it drops an insurance-card
// inquiry for the same patient into req/ (write-then-rename, request_file.hpp), which the
// terminal answers in res/. --fault makes it one of the faulty variants.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal.hpp"
#include "request_file.hpp"
#include "result_file.hpp"
#include "text_encoding.hpp"

namespace fs = std::filesystem;
using namespace onshi::reference_rc;
using SteadyClock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void on_stop_signal(int) { stop_requested = 1; }

constexpr const char* kUsage =
    "usage: onshi-reference-receipt-computer --folder DIR [--archive DIR] [--journal FILE]\n"
    "         [--encoding utf-8|shift_jis] [--ready-file FILE] [--poll-ms N] [--no-requests]\n"
    "         [--fault none|malformed-xml|wrong-encoding|never-consume|crash|slow] [--slow-ms N] [--crash-after N]\n";

struct Options {
  fs::path folder;
  fs::path archive;
  fs::path journal;
  FileEncoding encoding = FileEncoding::utf8;
  fs::path ready_file;
  int poll_ms = 50;
  bool requests = true;
  std::string fault = "none";
  int slow_ms = 3000;
  int crash_after = 0;  // face files taken up before the crash
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "onshi-reference-receipt-computer: " << message << "\n" << kUsage;
  std::exit(2);
}

int number(const std::string& option, const std::string& value) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(value, &used);
    if (used == value.size() && n >= 0) return n;
  } catch (const std::exception&) {
  }
  usage_error(option + " takes a number >= 0, not '" + value + "'");
}

Options parse(int argc, char** argv) {
  Options o;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) usage_error(a + " needs a value");
      return args[++i];
    };
    if (a == "--folder") o.folder = value();
    else if (a == "--archive") o.archive = value();
    else if (a == "--journal") o.journal = value();
    else if (a == "--ready-file") o.ready_file = value();
    else if (a == "--poll-ms") o.poll_ms = std::max(1, number(a, value()));
    else if (a == "--slow-ms") o.slow_ms = number(a, value());
    else if (a == "--crash-after") o.crash_after = number(a, value());
    else if (a == "--no-requests") o.requests = false;
    else if (a == "--encoding") {
      const std::string e = value();
      if (e == "utf-8") o.encoding = FileEncoding::utf8;
      else if (e == "shift_jis") o.encoding = FileEncoding::shift_jis;
      else usage_error("--encoding is utf-8 or shift_jis, not '" + e + "'");
    } else if (a == "--fault") {
      o.fault = value();
      static const std::set<std::string> faults = {"none", "malformed-xml", "wrong-encoding", "never-consume", "crash", "slow"};
      if (faults.count(o.fault) == 0) usage_error("unknown --fault '" + o.fault + "'");
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      usage_error("unknown argument '" + a + "'");
    }
  }
  if (o.folder.empty()) usage_error("--folder is required");
  if (o.archive.empty()) o.archive = o.folder / "rc-archive";
  if (o.journal.empty()) o.journal = o.folder / "rc-journal.jsonl";
  return o;
}

// A folder the receipt computer must read and write, checked the way it will be used.
void require_writable_folder(const fs::path& dir, const std::string& role) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "onshi-reference-receipt-computer: " << role << " folder is missing: " << dir.string() << "\n";
    std::exit(2);
  }
  const fs::path probe = dir / (".rc-probe-" + std::to_string(::getpid()));
  std::ofstream out(probe);
  if (!out) {
    std::cerr << "onshi-reference-receipt-computer: " << role << " folder is not writable: " << dir.string() << " ("
              << std::strerror(errno) << ")\n";
    std::exit(2);
  }
  out.close();
  fs::remove(probe, ec);
}

std::string read_bytes(const fs::path& file, bool& ok) {
  std::ifstream in(file, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// yyyyMMdd in Japan time.
std::string jst_date() {
  const std::time_t t = std::time(nullptr) + 9 * 3600;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y%m%d", &tm);
  return buffer;
}

std::vector<fs::path> result_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.' || entry.path().extension() != ".xml") continue;
    if (entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class ReceiptComputer {
 public:
  explicit ReceiptComputer(Options o) : o_(std::move(o)), journal_(o_.journal) {}

  int run() {
    for (const char* sub : {"face", "res", "req"}) require_writable_folder(o_.folder / sub, std::string(sub) + "/");
    std::error_code ec;
    for (const char* sub : {"face", "res"}) fs::create_directories(o_.archive / sub, ec);
    if (ec) {
      std::cerr << "onshi-reference-receipt-computer: cannot create the archive " << o_.archive.string() << ": "
                << ec.message() << "\n";
      return 2;
    }
    if (!journal_.is_open()) {
      std::cerr << "onshi-reference-receipt-computer: cannot open the journal " << o_.journal.string() << "\n";
      return 2;
    }
    journal_.write({{"event", "started"}, {"folder", o_.folder.string()}, {"encoding", std::string(name_of(o_.encoding))},
                    {"fault", o_.fault}});
    std::cout << "reference receipt computer watching " << o_.folder.string() << " (requests in "
              << name_of(o_.encoding) << ", fault " << o_.fault << ")" << std::endl;
    if (!o_.ready_file.empty()) std::ofstream(o_.ready_file) << ::getpid() << "\n";

    while (stop_requested == 0) {
      if (o_.fault != "never-consume") {
        for (const fs::path& f : result_files(o_.folder / "face")) take_up(f, "face");
        for (const fs::path& f : result_files(o_.folder / "res")) take_up(f, "res");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
    }
    journal_.write({{"event", "stopping"}}, {});
    std::cout << "reference receipt computer stopping: " << faces_ << " face file(s), " << answers_
              << " answer(s), " << requests_ << " request(s)" << std::endl;
    return 0;
  }

 private:
  // Reads, checks, journals and archives one result file, at most once per name.
  void take_up(const fs::path& file, const std::string& folder) {
    const std::string shown = folder + "/" + file.filename().string();
    if (handled_.count(shown) != 0) return;
    if (o_.fault == "slow") {
      const auto [it, inserted] = first_seen_.emplace(shown, SteadyClock::now());
      if (SteadyClock::now() - it->second < std::chrono::milliseconds(o_.slow_ms)) return;
    }
    bool read_ok = false;
    const std::string bytes = read_bytes(file, read_ok);
    if (!read_ok) return;  // gone meanwhile
    if (folder == "face" && o_.fault == "crash" && faces_ >= o_.crash_after) {
      std::cerr << "crashing on purpose (--fault crash) while reading " << shown << std::endl;
      const rlimit no_core{0, 0};  // a deliberate crash leaves no core file behind
      ::setrlimit(RLIMIT_CORE, &no_core);
      std::abort();
    }
    handled_.insert(shown);
    std::string reason;
    const auto result = read_result_file(bytes, shown, reason);
    const fs::path archived = o_.archive / folder / file.filename();
    std::error_code ec;
    fs::rename(file, archived, ec);
    const std::string action = ec ? "left (" + ec.message() + ")" : "archived";
    std::vector<std::pair<std::string, std::string>> fields = {{"event", folder}, {"file", shown}, {"reason", reason},
                                                               {"action", action}};
    if (result) {
      fields.insert(fields.end(), {{"encoding", std::string(name_of(result->encoding))},
                                   {"character_code_identifier", result->character_code_identifier},
                                   {"segment_of_result", result->segment_of_result},
                                   {"processing_result_status", result->processing_result_status},
                                   {"error_code", result->error_code},
                                   {"qualification_validity", result->qualification_validity},
                                   {"arbitrary_file_identifier", result->arbitrary_file_identifier}});
    }
    journal_.write(fields, {{"accepted", result.has_value()}});
    std::cout << shown << ": " << (result ? "accepted" : "rejected: " + reason) << ", " << action << std::endl;
    if (folder == "face") ++faces_;
    if (folder == "res") ++answers_;
    if (folder == "face" && result && o_.requests && !result->insurer_number.empty()) ask_again(*result);
  }

  // An insurance-card inquiry for the patient of a face result, written then renamed into req/.
  void ask_again(const ResultFile& face) {
    const std::string date = jst_date();
    std::string name;
    for (;;) {
      const std::string suffix = std::to_string(10000 + (++sequence_ % 10000)).substr(1);
      name = "OQSsiquc01req_" + date + suffix + ".xml";
      const std::string answer = "OQSsiquc01res_" + date + suffix + ".xml";
      std::error_code ec;
      if (!fs::exists(o_.folder / "req" / name, ec) && !fs::exists(o_.folder / "res" / answer, ec) &&
          !fs::exists(o_.archive / "res" / answer, ec)) {
        break;
      }
    }
    const std::string identifier = "髙～受付" + name.substr(name.size() - 8, 4);
    const RequestFault fault = o_.fault == "malformed-xml"    ? RequestFault::truncated
                               : o_.fault == "wrong-encoding" ? RequestFault::wrong_encoding
                                                              : RequestFault::none;
    std::string problem;
    const std::string bytes = request_bytes(request_xml(face, o_.encoding, identifier, date), o_.encoding, fault, problem);
    if (bytes.empty()) {
      journal_.write({{"event", "request"}, {"file", "req/" + name}, {"reason", problem}}, {{"written", false}});
      return;
    }
    const fs::path staged = o_.folder / "req" / ("." + name + ".tmp");
    {
      std::ofstream out(staged, std::ios::binary);
      out << bytes;
    }
    std::error_code ec;
    fs::rename(staged, o_.folder / "req" / name, ec);
    journal_.write({{"event", "request"},
                    {"file", "req/" + name},
                    {"encoding", std::string(name_of(o_.encoding))},
                    {"fault", o_.fault},
                    {"reason", ec ? ec.message() : ""}},
                   {{"written", !ec}});
    ++requests_;
  }

  Options o_;
  Journal journal_;
  std::set<std::string> handled_;
  std::map<std::string, SteadyClock::time_point> first_seen_;
  int sequence_ = 0;
  int faces_ = 0;
  int answers_ = 0;
  int requests_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  return ReceiptComputer(std::move(options)).run();
}
