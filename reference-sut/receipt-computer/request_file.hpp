#pragma once
// The insurance-card inquiry (OQSsiquc01req_) the reference receipt computer writes after it
// took up a face/ result: what a receipt computer does to confirm the card on file again. It
// is written the way field programs write them — a declaration typed by hand (single quotes
// for Shift_JIS), CRLF line ends, tab indentation, CP932 characters (髙, ～) in
// ArbitraryFileIdentifier — into a temporary name in req/ and renamed (docs/sut.md).
#include <string>

#include "result_file.hpp"
#include "text_encoding.hpp"

namespace onshi::reference_rc {

// How the request goes wrong, for the faulty variants.
enum class RequestFault {
  none,
  truncated,       // cut off mid-element: not well-formed
  wrong_encoding,  // declared UTF-8, written in CP932
};

// The request's text in UTF-8, for the patient on `face`, with `identifier` as its
// ArbitraryFileIdentifier and `date` (yyyyMMdd) its QualificationConfirmationDate.
std::string request_xml(const ResultFile& face, FileEncoding encoding, const std::string& identifier,
                        const std::string& date);

// The bytes to write: `xml` in `encoding`, or spoilt as `fault` says. Empty with `problem`
// set when a character has no form in the encoding.
std::string request_bytes(const std::string& xml, FileEncoding encoding, RequestFault fault, std::string& problem);

}  // namespace onshi::reference_rc
