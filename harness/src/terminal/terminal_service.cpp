#include "onshi/terminal/terminal_service.hpp"

#include <algorithm>
#include <optional>
#include <system_error>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/terminal/answer_writer.hpp"
#include "onshi/terminal/request_name.hpp"
#include "onshi/terminal/request_reader.hpp"

namespace onshi::terminal {
namespace {

std::string encoding_name(ons::TextEncoding e) { return e == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8"; }

// Canonical XML is UTF-8, so its CharacterCodeIdentifier says 0 whatever the ONS answered in;
// the wire layer makes it 1 when it writes Shift_JIS (write_answer).
template <class Result>
Result& canonical(Result& result) {
  if constexpr (requires { result.header.character_code_identifier; }) {
    result.header.character_code_identifier = ons::CharacterCodeIdentifier::utf8;
  } else {
    result.character_code_identifier = ons::CharacterCodeIdentifier::utf8;
  }
  return result;
}

// Creates the folder the terminal needs; the error names it.
std::filesystem::path made(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw Error(ErrorCode::io, "cannot create the folder: " + (ec ? ec.message() : std::string("not a folder")), dir.string());
  }
  return dir;
}

std::filesystem::path req_dir_of(const TerminalOptions& options) {
  made(options.root / "res");
  made(options.root / "trash");
  return made(options.root / "req");
}

// An answer in canonical UTF-8 XML, or the reason there is none.
struct Answer {
  std::string xml;
  std::string error_code;  // set for every error result, ours or the ONS's
  std::string reason;
};

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// A file name as it may appear in an answer or the journal: as it is when it is valid UTF-8
// without control characters, else with every byte outside printable ASCII shown as '?'
// (the XML writer refuses anything else, and the reason must still name the file).
std::string shown_name(const std::string& name) {
  bool clean = true;
  for (std::size_t i = 0; i < name.size() && clean;) {
    const auto b = static_cast<unsigned char>(name[i]);
    std::size_t length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || b < 0x20 || b == 0x7F || (length == 2 && b < 0xC2) || i + length > name.size()) clean = false;
    for (std::size_t k = 1; clean && k < length; ++k) {
      if ((static_cast<unsigned char>(name[i + k]) & 0xC0) != 0x80) clean = false;
    }
    i += length == 0 ? 1 : length;
  }
  if (clean) return name;
  std::string out = name;
  for (char& c : out) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F) c = '?';
  }
  return out;
}

// Where the request goes once answered: trash/NAME, or NAME.1, NAME.2 … when taken.
std::filesystem::path trash_target(const std::filesystem::path& trash, const std::string& name) {
  std::filesystem::path target = trash / name;
  for (unsigned n = 1; std::filesystem::exists(target) && n < 10'000; ++n) target = trash / (name + "." + std::to_string(n));
  return target;
}

}  // namespace

TerminalService::TerminalService(TerminalOptions options, ons::OnsClient& ons, const Clock& clock)
    : options_(std::move(options)),
      ons_(ons),
      clock_(clock),
      journal_(options_.root / "terminal-journal.jsonl"),
      watcher_(req_dir_of(options_), options_.settle, clock_,
               [](const std::string& name) { return classify_request_name(name).has_value(); }) {}

std::size_t TerminalService::serve_ready() {
  const auto files = watcher_.ready();
  for (const auto& file : files) {
    try {
      handle(file);
    } catch (const std::exception& e) {
      // Last line of defence: whatever went wrong with one file, the next is still served.
      JournalEntry entry;
      entry.time = format_iso8601_utc(clock_.wall_now(), true);
      entry.event = "error";
      entry.request = "req/" + shown_name(file.filename().string());
      entry.reason = std::string("unexpected failure: ") + e.what();
      journal_.append(entry);
    }
  }
  return files.size();
}

std::size_t TerminalService::serve_once() {
  std::size_t handled = serve_ready();
  while (watcher_.pending()) {
    watcher_.wait(options_.settle / 4 + std::chrono::milliseconds(1));
    handled += serve_ready();
  }
  return handled;
}

void TerminalService::serve_until(const std::atomic<bool>& stop, std::chrono::milliseconds poll) {
  while (!stop.load()) {
    serve_ready();
    // Woken early by any change in req/; the poll bound lets settling files mature and
    // lets a stop request be seen.
    watcher_.wait(watcher_.pending() ? std::min(poll, options_.settle / 4 + std::chrono::milliseconds(1)) : poll);
  }
}

void TerminalService::handle(const std::filesystem::path& request) {
  const MonotonicTime started = clock_.monotonic_now();
  const std::string name = request.filename().string();
  const std::string shown = shown_name(name);
  const RequestKind kind = classify_request_name(name).value_or(RequestKind::not_served);
  JournalEntry entry;
  entry.request = "req/" + shown;
  entry.kind = std::string(to_string(kind));
  const std::string where = "request file req/" + shown;
  const std::string facility = options_.facility_code;

  Answer answer;
  const auto error_answer = [&](const std::string& code, const std::string& reason) {
    answer.error_code = code;
    answer.reason = reason;
    answer.xml = ons::encode_xml(error_result(code, reason, facility, clock_.wall_now()));
  };

  std::optional<RequestText> text;
  try {
    text = read_request_file(request, options_.max_request_bytes);
    entry.request_encoding = encoding_name(text->encoding);
  } catch (const Error& e) {
    error_answer(kRequestUnreadable, where + ": " + e.message());
  }

  if (text) {
    // Decoding the request is ours to fail; asking the ONS is the ONS's.
    bool decoded = false;
    try {
      switch (kind) {
        case RequestKind::qualification_search: {
          const auto inquiry = ons::decode_search_inquiry(text->xml, {options_.max_request_bytes});
          decoded = true;
          ons::QualificationResult result = ons_.inquire(inquiry);
          answer.xml = ons::encode_xml(canonical(result));
          if (result.header.error_code) answer.error_code = *result.header.error_code;
          break;
        }
        case RequestKind::medication:
        case RequestKind::checkup: {
          const auto info_kind = kind == RequestKind::medication ? ons::InformationKind::medication : ons::InformationKind::checkup;
          const auto info = ons::decode_information_request(text->xml, info_kind, {options_.max_request_bytes});
          decoded = true;
          ons::InformationResult result = ons_.inquire(info);
          answer.xml = ons::encode_xml(canonical(result));
          if (result.error_code) answer.error_code = *result.error_code;
          break;
        }
        case RequestKind::bulk_submit: {
          const auto bulk = ons::decode_bulk_inquiry(text->xml, {options_.max_request_bytes});
          decoded = true;
          ons::BulkResult result = ons_.submit(bulk);
          answer.xml = ons::encode_xml(canonical(result));
          break;
        }
        case RequestKind::bulk_fetch: {
          const auto fetch = ons::decode_bulk_fetch(text->xml, {options_.max_request_bytes});
          decoded = true;
          ons::BulkResult result = ons_.fetch(fetch);
          answer.xml = ons::encode_xml(canonical(result));
          break;
        }
        case RequestKind::reference_submit: {
          const auto registration = ons::decode_reference_number_registration(text->xml, {options_.max_request_bytes});
          decoded = true;
          ons::ReferenceNumberResult result = ons_.submit(registration);
          answer.xml = ons::encode_xml(canonical(result));
          break;
        }
        case RequestKind::reference_fetch: {
          const auto fetch = ons::decode_bulk_fetch(text->xml, {options_.max_request_bytes});
          decoded = true;
          ons::ReferenceNumberResult result = ons_.fetch_reference_numbers(fetch);
          answer.xml = ons::encode_xml(canonical(result));
          break;
        }
        case RequestKind::not_served:
          error_answer(kRequestNotServed, where + ": this terminal does not answer " + name.substr(0, 14) +
                                              " requests (docs/terminal.md lists those it does)");
          break;
      }
    } catch (const ons::OnsStatusError& e) {
      // The ONS answered, with a refusal: relay its own result when it sent one.
      if (e.result()) {
        ons::QualificationResult refusal = *e.result();
        answer.xml = ons::encode_xml(canonical(refusal));
        answer.error_code = e.result()->header.error_code.value_or("");
        answer.reason = e.result()->header.error_message.value_or(first_line(e.what()));
      } else {
        error_answer(kOnsRefused, where + ": the ONS " + options_.ons_endpoint + " refused it: " + first_line(e.what()));
      }
    } catch (const Error& e) {
      if (!decoded) {
        error_answer(kRequestUnreadable, where + ": " + (e.context().empty() ? "" : e.context() + ": ") + e.message());
      } else {
        error_answer(kOnsUnreachable,
                     where + ": no answer from the ONS " + options_.ons_endpoint + ": " + first_line(e.what()));
      }
    }
  }

  // The answer in the rig's encoding, its CharacterCodeIdentifier true to the bytes.
  const std::string res_name = response_name(name);
  const std::filesystem::path res_file = options_.root / "res" / res_name;
  const auto write = [&](const std::string& xml) { write_answer(res_file, xml, options_.answer_encoding); };
  try {
    try {
      write(answer.xml);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::invalid_argument) throw;
      error_answer(kAnswerNotEncodable, where + ": the answer cannot be written in " +
                                            encoding_name(options_.answer_encoding) + ": " + e.message());
      try {
        write(answer.xml);
      } catch (const Error& again) {
        if (again.code() != ErrorCode::invalid_argument) throw;
        // The file name itself has no Shift_JIS form: say so in ASCII.
        error_answer(kAnswerNotEncodable, "request file req/<name not representable>: the answer cannot be written in " +
                                              encoding_name(options_.answer_encoding));
        write(answer.xml);
      }
    }
    entry.answer = "res/" + shown_name(res_name);
    entry.answer_encoding = encoding_name(options_.answer_encoding);
  } catch (const Error& e) {
    entry.event = "error";
    entry.error_code = answer.error_code;
    entry.reason = (answer.reason.empty() ? "" : answer.reason + "; ") + "the answer res/" + shown_name(res_name) +
                   " could not be written: " + e.what();
  }

  if (entry.event.empty()) {
    entry.event = answer.reason.empty() && answer.error_code.empty() ? "answered" : "error";
    entry.error_code = answer.error_code;
    entry.reason = answer.reason;
  }
  entry.duration_ms = std::chrono::duration<double, std::milli>(clock_.monotonic_now() - started).count();

  // Taken up: the request leaves req/ so it is never answered twice (the watcher also hands
  // each name out once, should the move fail).
  // Unanswered (res/ not writable), it stays in req/ for the next run to answer; this run
  // does not retry it.
  std::error_code ec;
  const std::filesystem::path target = trash_target(options_.root / "trash", name);
  if (entry.answer.empty()) {
    entry.reason += "; left in req/";
  } else if (std::filesystem::rename(request, target, ec); ec) {
    entry.reason += std::string(entry.reason.empty() ? "" : "; ") + "could not move it to trash/: " + ec.message();
  } else {
    entry.moved_to = "trash/" + shown_name(target.filename().string());
  }
  entry.time = format_iso8601_utc(clock_.wall_now(), true);
  journal_.append(entry);
}

}  // namespace onshi::terminal
