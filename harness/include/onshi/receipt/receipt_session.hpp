#pragma once
// What the harness, as the receipt computer (レセコン), asks a terminal under test and what it
// expects back (docs/receipt-computer.md, "Session files"): a list of request files, each for a
// patient of the population, written in UTF-8 or Shift_JIS, with the answer's expected codes.
// Loaded from fixtures/receipt/*.toml; errors name the file, line and key.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "onshi/ons/wire_format.hpp"
#include "onshi/population/population.hpp"

namespace onshi::receipt {

inline constexpr const char* kSessionSchema = "onshi-hil/receipt-session/1";

// What the answer must say; every field is a code as the wire writes it ("1", "9", "HIL0801").
// Unset fields are not checked.
struct AnswerExpectation {
  std::optional<std::string> segment_of_result;
  std::optional<std::string> processing_result_status;
  std::optional<std::string> qualification_validity;
  std::optional<std::string> error_code;
  std::optional<std::string> name;       // ResultList's first Name (the patient's)
  std::optional<std::string> birthdate;  // and Birthdate
  bool echo_identifier = true;           // ArbitraryFileIdentifier echoed back
  // Medication / checkup: the information list has at least one entry, with the ConsTime it
  // rests on (what a consent on record gives).
  bool information_returned = false;
};

// One person listed in a bulk inquiry, and what their result inside the bulk answer must say.
struct BulkPerson {
  std::string patient;                 // population id; also the ArbitraryIdentifier sent
  std::string qualification_validity;  // the patient's; "4" when ONS holds no record
  std::optional<std::string> name;     // the first record's, when on record
  std::optional<std::string> birthdate;
};

enum class RequestBody {
  search_inquiry,  // OQSsiquc01req: the patient's insurance-card data (記号・番号・生年月日)
  truncated,       // the same cut in half: the terminal must answer with an error result
  medication,      // YZKsiquc01req: the patient's medication information
  checkup,         // TKKsiquc01req: the patient's checkup information
  bulk,            // OQSmuquc01req for every listed person, then OQSmuquc02req until ready
};

struct SessionRequest {
  std::string name;     // the step is receipt.<name>
  std::string patient;  // population id (bulk: the first listed)
  std::vector<BulkPerson> bulk;  // bulk: the persons listed, in order
  ons::TextEncoding encoding = ons::TextEncoding::utf8;
  RequestBody body = RequestBody::search_inquiry;
  std::string identifier;  // ArbitraryFileIdentifier; default "rc-<name>"
  AnswerExpectation expect;
  std::string where;  // "FILE:LINE", for messages
};

struct ReceiptSession {
  std::string name;
  std::chrono::milliseconds answer_deadline{30'000};
  std::vector<SessionRequest> requests;
  std::filesystem::path source;
};

// config::fixtures_dir() / "receipt/session.toml".
std::filesystem::path default_session_file();

// Reads the session; the expectations a request leaves out are filled from the population
// (search: SegmentOfResult 1, ProcessingResultStatus 1, the patient's QualificationValidity, 4
// when ONS holds no record, name and birthdate; truncated: SegmentOfResult 9,
// ProcessingResultStatus 2; medication / checkup: 1, 1 and information returned, or with
// `consented = false` the mock's refusal 9, 2, HIL0430; bulk: 1, 1 and each listed person's
// validity, name and birthdate). Throws Error(config) "FILE:LINE: key 'x'" for an unknown key,
// patient, encoding or body, a duplicate name or listed person, `patients` on a body other
// than bulk (or none on a bulk), a deadline outside 1 ms..1 h.
ReceiptSession load_session(const std::filesystem::path& file, const population::Population& population);

}  // namespace onshi::receipt
