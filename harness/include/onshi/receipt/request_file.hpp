#pragma once
// One request file as a careful receipt computer writes it into the terminal's req/: the
// inquiry encoded by the ons codecs, converted to the request's encoding (Shift_JIS read as
// CP932 by terminals, docs/domain/file-interface.md "Encodings"), written to a dot-file in req/
// and renamed to its name, so the terminal never reads half of it.
#include <filesystem>
#include <string>
#include <string_view>

#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"
#include "onshi/receipt/receipt_session.hpp"

namespace onshi::receipt {

// The bytes of `request` for `patient` at facility `facility_code`, dated `now` (JST): the
// OQSsiquc01req search (whole or truncated), the YZK/TKK information request (three calendar
// years back to today), or the OQSmuquc01req bulk inquiry of every listed person (each one's
// ArbitraryIdentifier its patient id; `population` must then be given).
std::string request_bytes(const SessionRequest& request, const population::Patient& patient,
                          const std::string& facility_code, WallTime now,
                          const population::Population* population = nullptr);

// The OQSmuquc02req that fetches a bulk result: MedicalInstitutionCode and ReceptionNumber only.
std::string bulk_fetch_bytes(const std::string& facility_code, const std::string& reception_number,
                             ons::TextEncoding encoding);

// The file-name prefix of a request body: "OQSsiquc01req_", "YZKsiquc01req_", "TKKsiquc01req_",
// "OQSmuquc01req_" (docs/domain/file-interface.md, "File-name grammar").
std::string_view request_prefix(RequestBody body);

// A request name free in req/, res/ and trash/ of `root`: <prefix><yyyyMMdd>_<NNNN>.xml,
// the sequence number the first from `first_sequence` whose request and answer do not exist yet
// (an answer lying in res/ from an earlier run must not be taken for this one's).
std::string free_request_name(const std::filesystem::path& root, WallTime now, unsigned first_sequence,
                              std::string_view prefix = "OQSsiquc01req_");

// Writes `bytes` as req/<name> by write-then-rename. Throws Error(io) naming the folder and the
// system's reason when req/ is missing or not writable.
void drop_request(const std::filesystem::path& req_dir, const std::string& name, const std::string& bytes);

}  // namespace onshi::receipt
