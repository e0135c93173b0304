// The mock ONS's medication (YZK) and checkup (TKK) information: consent-gated, with
// synthetic data that depend only on the patient (and the dates asked for).
#include <array>
#include <chrono>
#include <cstdio>
#include <random>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/ons/insurer_number.hpp"
#include "service_support.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;
namespace chr = std::chrono;

namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string date_of(chr::sys_days d) {
  const chr::year_month_day ymd{d};
  char out[32];
  std::snprintf(out, sizeof out, "%04d%02u%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

std::string one_decimal(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f", v);
  return out;
}

struct Drug {
  const char* name;
  const char* code;
  const char* unit;
};
constexpr std::array<Drug, 8> kDrugs{{
    {"アムロジピン錠５ｍｇ (synthetic)", "621700001", "錠"},
    {"ロキソプロフェンナトリウム錠６０ｍｇ (synthetic)", "621700002", "錠"},
    {"メトホルミン塩酸塩錠２５０ｍｇ (synthetic)", "621700003", "錠"},
    {"ロスバスタチン錠２．５ｍｇ (synthetic)", "621700004", "錠"},
    {"カルボシステイン錠５００ｍｇ (synthetic)", "621700005", "錠"},
    {"ファモチジン錠２０ｍｇ (synthetic)", "621700006", "錠"},
    {"モンテルカスト錠１０ｍｇ (synthetic)", "621700007", "錠"},
    {"ヘパリン類似物質油性クリーム (synthetic)", "621700008", "ｇ"},
}};
constexpr std::array<const char*, 4> kPharmacies{"オンシ薬局 (synthetic)", "サンプル調剤薬局 (synthetic)",
                                                 "オンシ内科クリニック (synthetic)", "みほん病院 (synthetic)"};

// Three years of dispensings (docs/domain/performance.md), 2023-04 to 2026-03, about one a month.
std::vector<o::MedicationInfo> medications_of(const std::string& patient_id) {
  std::mt19937_64 rng(fnv1a("medication|" + patient_id));
  std::vector<o::MedicationInfo> out;
  chr::sys_days day = chr::sys_days{chr::year{2023} / chr::April / chr::day{1}};
  const chr::sys_days last = chr::sys_days{chr::year{2026} / chr::March / chr::day{31}};
  while (true) {
    day += chr::days{14 + static_cast<int>(rng() % 45)};
    if (day > last) break;
    const Drug& d = kDrugs[rng() % kDrugs.size()];
    out.push_back({date_of(day), kPharmacies[rng() % kPharmacies.size()], d.name, d.code,
                   std::to_string(1 + rng() % 3), d.unit, std::to_string(7 * (1 + rng() % 4))});
  }
  return out;
}

// Five yearly 特定健診 (2021–2025), each on the patient's own day of the year.
std::vector<o::CheckupInfo> checkups_of(const std::string& patient_id) {
  std::mt19937_64 rng(fnv1a("checkup|" + patient_id));
  const double height = 150.0 + static_cast<double>(rng() % 350) / 10.0;
  double weight = 45.0 + static_cast<double>(rng() % 450) / 10.0;
  const unsigned month = 4 + static_cast<unsigned>(rng() % 8);
  const unsigned day = 1 + static_cast<unsigned>(rng() % 28);
  std::vector<o::CheckupInfo> out;
  for (int year = 2021; year <= 2025; ++year) {
    weight += static_cast<double>(static_cast<int>(rng() % 41) - 20) / 10.0;
    const double bmi = weight / (height / 100.0) / (height / 100.0);
    o::CheckupInfo c;
    c.checkup_date = date_of(chr::sys_days{chr::year{year} / chr::month{month} / chr::day{day}});
    c.height = one_decimal(height);
    c.weight = one_decimal(weight);
    c.bmi = one_decimal(bmi);
    c.abdominal_circumference = one_decimal(60.0 + bmi * 1.2 + static_cast<double>(rng() % 80) / 10.0);
    c.systolic_blood_pressure = std::to_string(100 + rng() % 50);
    c.diastolic_blood_pressure = std::to_string(60 + rng() % 30);
    c.hba1c = one_decimal(4.8 + static_cast<double>(rng() % 25) / 10.0);
    c.ldl_cholesterol = std::to_string(80 + rng() % 90);
    out.push_back(std::move(c));
  }
  return out;
}

MockResponse information_response(unsigned status, const o::InformationResult& result) {
  MockResponse r;
  r.status = status;
  r.content_type = std::string(o::kXmlContentType) + "; charset=UTF-8";
  r.body = o::encode_xml(result);
  return r;
}

}  // namespace

MockResponse OnsMockService::information_request(const MockRequest& request, const std::string& facility,
                                                 o::InformationKind kind) const {
  const WallTime now = config_.clock->wall_now();
  o::InformationResult result;
  result.kind = kind;
  result.process_execution_time = format_jst_datetime(now);
  result.medical_institution_code = facility;
  auto refuse = [&](unsigned status, o::ProfileError error, const std::string& detail) {
    result.segment_of_result = o::SegmentOfResult::abnormal_end;
    result.processing_result_status = o::ProcessingResultStatus::error;
    result.error_code = std::string(o::to_code(error));
    result.error_message = support::refusal_message(error, detail);
    MockResponse r = information_response(status, result);
    r.outcome.error = error;
    return r;
  };

  o::InformationRequest q;
  try {
    q = o::decode_information_request(request.body, kind, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return refuse(400, o::ProfileError::malformed_request, e.context() + ": " + e.message());
  }
  result.arbitrary_file_identifier = q.arbitrary_file_identifier.value_or("");
  if (q.medical_institution_code != facility) {
    MockResponse r = refuse(403, o::ProfileError::facility_mismatch,
                            "request " + q.medical_institution_code + ", certificate " + facility);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  if (const std::string problem = o::insurer_number_problem(q.insurer_number); !problem.empty()) {
    return refuse(400, o::ProfileError::insurer_number_invalid, "InsurerNumber '" + q.insurer_number + "': " + problem);
  }
  const auto matches = find_qualifications(q.insurer_number, q.insurance_card_symbol,
                                           q.insured_person_identification_number, q.branch_number, std::nullopt);
  if (matches.empty()) return refuse(404, o::ProfileError::no_qualification, "");
  if (matches.size() > 1) return refuse(409, o::ProfileError::several_qualifications, "");
  const population::Patient& patient = *matches.front();
  const std::string item = kind == o::InformationKind::medication ? "PharmacistsInfo" : "SpecificHealthCheckupsInfo";

  const auto consented_at = consent_time(facility, patient.id, kind);
  if (!consented_at) {
    MockResponse r = refuse(403, o::ProfileError::consent_missing, item);
    r.outcome.patient_id = patient.id;
    r.outcome.consents.push_back(item + "=none_on_record");
    return r;
  }
  const WallTime lapses = *consented_at + config_.consent_validity;
  if (now >= lapses) {
    MockResponse r = refuse(403, o::ProfileError::consent_expired, item + " ConsTime " + format_jst_datetime(*consented_at));
    r.outcome.patient_id = patient.id;
    r.outcome.consents.push_back(item + "=expired");
    return r;
  }

  result.cons_time = format_jst_datetime(*consented_at);
  result.available_time = format_jst_datetime(lapses);
  const std::string today = format_jst_date(now);
  if (kind == o::InformationKind::medication) {
    for (auto& m : medications_of(patient.id)) {
      if (m.dispensing_date >= q.start_date && m.dispensing_date <= *q.end_date && m.dispensing_date <= today) {
        result.medications.push_back(std::move(m));
      }
    }
  } else {
    for (auto& c : checkups_of(patient.id)) {
      if (c.checkup_date >= q.start_date && c.checkup_date <= today) result.checkups.push_back(std::move(c));
    }
  }
  MockResponse r = information_response(200, result);
  r.outcome.patient_id = patient.id;
  r.outcome.consents.push_back(item + "=consented");
  return r;
}

}  // namespace onshi::mocks::ons
