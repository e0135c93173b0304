#pragma once
// Request file names in req/ (docs/domain/file-interface.md, "File-name grammar"):
// <SYS><si|mu><fn3><nn>req_<suffix>.xml, answered in res/ by the same name with req -> res.
#include <optional>
#include <string>
#include <string_view>

namespace onshi::terminal {

// The requests this terminal knows how to answer, by file prefix.
enum class RequestKind {
  qualification_search,  // OQSsiquc01req_: insurance-card path inquiry
  medication,            // YZKsiquc01req_: 薬剤情報
  checkup,               // TKKsiquc01req_: 特定健診情報
  bulk_submit,           // OQSmuquc01req_: bulk inquiry, answered with a ReceptionNumber
  bulk_fetch,            // OQSmuquc02req_: the bulk result by ReceptionNumber
  reference_submit,      // OQSmuimm01req_: bulk 照会番号 registration, answered with a ReceptionNumber
  reference_fetch,       // OQSmuimm02req_: its result by ReceptionNumber
  not_served,            // in the grammar, but a function this terminal does not answer
};

std::string_view to_string(RequestKind kind);

// The kind of a request file name; nullopt when the name is not a request in the grammar
// (a temporary file, a dot-file, someone's notes), which the terminal leaves alone.
std::optional<RequestKind> classify_request_name(std::string_view file_name);

// "OQSsiquc01req_20261201_0001.xml" -> "OQSsiquc01res_20261201_0001.xml". Only the req of
// the prefix changes. Precondition: classify_request_name(file_name) has a value.
std::string response_name(std::string_view file_name);

}  // namespace onshi::terminal
