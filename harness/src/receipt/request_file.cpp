#include "onshi/receipt/request_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/population/search_inquiry_for.hpp"
#include "onshi/terminal/request_name.hpp"

namespace onshi::receipt {
namespace {

std::string sequence_text(unsigned n) {
  std::string s = std::to_string(n % 10'000);
  return std::string(4 - s.size(), '0') + s;
}

[[noreturn]] void fail_io(const std::string& what, const std::filesystem::path& where, int error) {
  throw Error(ErrorCode::io, what + ": " + std::strerror(error), where.string());
}

// YZK/TKK carry the insurance card's fields under their own element names
// (docs/domain/ons-messages.md, "Medication and checkup information").
ons::InformationRequest information_request_for(const population::Patient& patient, ons::InformationKind kind,
                                                const std::string& facility_code, WallTime now) {
  const ons::QualificationSearchInquiry card = population::search_inquiry_for(patient, facility_code, format_jst_date(now));
  ons::InformationRequest q;
  q.kind = kind;
  q.medical_institution_code = facility_code;
  q.insurer_number = card.insurer_number;
  q.insurance_card_symbol = card.insured_card_symbol;
  q.insured_person_identification_number = card.insured_identification_number;
  q.branch_number = card.insured_branch_number;
  // Three calendar years back to today: the span a receipt computer shows a doctor.
  const std::string today = format_jst_date(now);
  q.start_date = std::to_string(std::stoi(today.substr(0, 4)) - 3) + "0101";
  if (kind == ons::InformationKind::medication) q.end_date = today;
  return q;
}

std::string canonical_request(const SessionRequest& request, const population::Population* population,
                              const population::Patient& patient, const std::string& facility_code, WallTime now) {
  switch (request.body) {
    case RequestBody::medication:
    case RequestBody::checkup: {
      ons::InformationRequest q = information_request_for(
          patient, request.body == RequestBody::medication ? ons::InformationKind::medication : ons::InformationKind::checkup,
          facility_code, now);
      q.arbitrary_file_identifier = request.identifier;
      return ons::encode_xml(q);
    }
    case RequestBody::bulk: {
      if (population == nullptr) throw Error(ErrorCode::invalid_argument, "a bulk request needs the population", request.where);
      ons::BulkInquiry bulk;
      bulk.header.qualification_confirmation_date = format_jst_date(now);
      bulk.header.medical_institution_code = facility_code;
      bulk.header.arbitrary_file_identifier = request.identifier;
      for (const BulkPerson& person : request.bulk) {
        ons::QualificationSearchInquiry q =
            population::search_inquiry_for(population->patient(person.patient), facility_code, format_jst_date(now));
        q.arbitrary_identifier = person.patient;  // tells the results apart
        bulk.inquiries.push_back(std::move(q));
      }
      return ons::encode_xml(bulk);
    }
    case RequestBody::search_inquiry:
    case RequestBody::truncated:
      break;
  }
  ons::QualificationSearchInquiry inquiry = population::search_inquiry_for(patient, facility_code, format_jst_date(now));
  inquiry.header.arbitrary_file_identifier = request.identifier;
  return ons::encode_xml(inquiry);
}

}  // namespace

std::string request_bytes(const SessionRequest& request, const population::Patient& patient,
                          const std::string& facility_code, WallTime now, const population::Population* population) {
  std::string bytes = ons::from_canonical(canonical_request(request, population, patient, facility_code, now),
                                          {ons::WireSyntax::xml, request.encoding});
  if (request.body == RequestBody::truncated) bytes.resize(bytes.size() / 2);
  return bytes;
}

std::string bulk_fetch_bytes(const std::string& facility_code, const std::string& reception_number,
                             ons::TextEncoding encoding) {
  return ons::from_canonical(ons::encode_xml(ons::BulkFetch{facility_code, reception_number}),
                             {ons::WireSyntax::xml, encoding});
}

std::string_view request_prefix(RequestBody body) {
  switch (body) {
    case RequestBody::medication: return "YZKsiquc01req_";
    case RequestBody::checkup: return "TKKsiquc01req_";
    case RequestBody::bulk: return "OQSmuquc01req_";
    case RequestBody::search_inquiry:
    case RequestBody::truncated: break;
  }
  return "OQSsiquc01req_";
}

std::string free_request_name(const std::filesystem::path& root, WallTime now, unsigned first_sequence,
                              std::string_view prefix) {
  const std::string day = format_jst_date(now);
  for (unsigned n = first_sequence; n < first_sequence + 10'000; ++n) {
    const std::string name = std::string(prefix) + day + "_" + sequence_text(n) + ".xml";
    const std::string answer = terminal::response_name(name);
    std::error_code ec;
    if (!std::filesystem::exists(root / "req" / name, ec) && !std::filesystem::exists(root / "res" / answer, ec) &&
        !std::filesystem::exists(root / "trash" / name, ec)) {
      return name;
    }
  }
  throw Error(ErrorCode::io, "no free request sequence number for " + day + " (10,000 taken)", (root / "req").string());
}

void drop_request(const std::filesystem::path& req_dir, const std::string& name, const std::string& bytes) {
  // The dot-file is outside the request grammar, so the terminal leaves it alone until the rename.
  const std::filesystem::path staging = req_dir / ("." + name + ".writing");
  const int fd = ::open(staging.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io("cannot write a request into the terminal's req/ folder", req_dir, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(staging.c_str());
      fail_io("cannot write the request " + name, req_dir, error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(staging.c_str());
    fail_io("cannot write the request " + name, req_dir, error);
  }
  if (std::rename(staging.c_str(), (req_dir / name).c_str()) != 0) {
    const int error = errno;
    ::unlink(staging.c_str());
    fail_io("cannot rename the request into place as " + name, req_dir, error);
  }
}

}  // namespace onshi::receipt
