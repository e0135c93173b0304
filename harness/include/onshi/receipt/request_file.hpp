#pragma once
// One request file as a careful receipt computer writes it into the terminal's req/: the
// inquiry encoded by the ons codecs, converted to the request's encoding (Shift_JIS read as
// CP932 by terminals, docs/domain/file-interface.md "Encodings"), written to a dot-file in req/
// and renamed to its name, so the terminal never reads half of it.
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"
#include "onshi/receipt/receipt_session.hpp"

namespace onshi::receipt {

// The bytes of `request` for `patient` at facility `facility_code`, dated `now` (JST).
std::string request_bytes(const SessionRequest& request, const population::Patient& patient,
                          const std::string& facility_code, WallTime now);

// A request name free in req/, res/ and trash/ of `root`: OQSsiquc01req_<yyyyMMdd>_<NNNN>.xml,
// the sequence number the first from `first_sequence` whose request and answer do not exist yet
// (an answer lying in res/ from an earlier run must not be taken for this one's).
std::string free_request_name(const std::filesystem::path& root, WallTime now, unsigned first_sequence);

// Writes `bytes` as req/<name> by write-then-rename. Throws Error(io) naming the folder and the
// system's reason when req/ is missing or not writable.
void drop_request(const std::filesystem::path& req_dir, const std::string& name, const std::string& bytes);

}  // namespace onshi::receipt
