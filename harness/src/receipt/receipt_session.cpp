#include "onshi/receipt/receipt_session.hpp"

#include <set>

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::receipt {
namespace {

std::optional<std::string> optional_code(const config::TomlReader& r, const toml::table& t, std::string_view key) {
  if (!t.contains(key)) return std::nullopt;
  return r.required_string(t, key);
}

AnswerExpectation defaults_for(RequestBody body, const population::Patient& patient) {
  AnswerExpectation e;
  if (body == RequestBody::truncated) {
    e.segment_of_result = "9";
    e.processing_result_status = "2";
    e.echo_identifier = false;  // the terminal could not read the identifier it would echo
    return e;
  }
  e.segment_of_result = "1";
  e.processing_result_status = "1";
  if (body == RequestBody::medication || body == RequestBody::checkup) {
    e.information_returned = true;
    return e;
  }
  if (body == RequestBody::bulk) return e;  // each listed person's result: BulkPerson
  e.qualification_validity = patient.insurance.on_record ? patient.insurance.validity : "4";
  if (patient.insurance.on_record) {
    e.name = patient.name;
    e.birthdate = patient.birthdate;
  }
  return e;
}

BulkPerson bulk_person(const population::Patient& patient) {
  BulkPerson person;
  person.patient = patient.id;
  person.qualification_validity = patient.insurance.on_record ? patient.insurance.validity : "4";
  if (patient.insurance.on_record) {
    person.name = patient.name;
    person.birthdate = patient.birthdate;
  }
  return person;
}

std::optional<RequestBody> body_named(const std::string& body) {
  if (body == "search") return RequestBody::search_inquiry;
  if (body == "truncated") return RequestBody::truncated;
  if (body == "medication") return RequestBody::medication;
  if (body == "checkup") return RequestBody::checkup;
  if (body == "bulk") return RequestBody::bulk;
  return std::nullopt;
}

}  // namespace

std::filesystem::path default_session_file() { return config::fixtures_dir() / "receipt" / "session.toml"; }

ReceiptSession load_session(const std::filesystem::path& file, const population::Population& population) {
  const config::TomlReader r(file);
  const toml::table& root = r.root();
  r.only_keys(root, {"schema", "name", "answer_deadline_ms", "request"});
  if (r.required_string(root, "schema") != kSessionSchema) {
    r.fail(*root.get("schema"), "schema", std::string("expected \"") + kSessionSchema + "\"");
  }
  ReceiptSession session;
  session.source = file;
  session.name = r.optional_string(root, "name", file.stem().string());
  const std::int64_t deadline = r.optional_int(root, "answer_deadline_ms", 30'000);
  if (deadline < 1 || deadline > 3'600'000) {
    r.fail(*root.get("answer_deadline_ms"), "answer_deadline_ms", "expected 1..3600000 milliseconds");
  }
  session.answer_deadline = std::chrono::milliseconds(deadline);

  std::set<std::string> names;
  for (const toml::table& t : r.array_of_tables(root, "request")) {
    r.only_keys(t, {"name", "patient", "patients", "encoding", "body", "identifier", "expect"});
    SessionRequest request;
    request.where = r.where(t);
    request.name = r.required_string(t, "name");
    if (!names.insert(request.name).second) r.fail(*t.get("name"), "name", "duplicate request name '" + request.name + "'");
    const std::string body = r.optional_string(t, "body", "search");
    const auto body_kind = body_named(body);
    if (!body_kind) {
      r.fail(*t.get("body"), "body",
             "expected \"search\", \"truncated\", \"medication\", \"checkup\" or \"bulk\", not \"" + body + "\"");
    }
    request.body = *body_kind;
    const auto patient_named = [&](const std::string& id, std::string_view key) {
      try {
        return &population.patient(id);
      } catch (const Error&) {
        r.fail(*t.get(key), key, "no patient '" + id + "' in the population");
      }
    };
    const population::Patient* patient = nullptr;
    if (request.body == RequestBody::bulk) {
      if (t.contains("patient")) r.fail(*t.get("patient"), "patient", "a bulk request lists its persons in 'patients'");
      std::set<std::string> listed;
      for (const std::string& id : r.optional_string_array(t, "patients")) {
        if (!listed.insert(id).second) r.fail(*t.get("patients"), "patients", "patient '" + id + "' is listed twice");
        request.bulk.push_back(bulk_person(*patient_named(id, "patients")));
      }
      if (request.bulk.empty()) {
        r.fail(*t.get("name"), "patients", "a bulk request needs 'patients', a list of one or more patients");
      }
      request.patient = request.bulk.front().patient;
      patient = &population.patient(request.patient);
    } else {
      if (t.contains("patients")) r.fail(*t.get("patients"), "patients", "only a bulk request lists 'patients'");
      request.patient = r.required_string(t, "patient");
      patient = patient_named(request.patient, "patient");
    }
    const std::string encoding = r.optional_string(t, "encoding", "utf-8");
    if (encoding == "shift_jis") {
      request.encoding = ons::TextEncoding::shift_jis;
    } else if (encoding != "utf-8") {
      r.fail(*t.get("encoding"), "encoding", "expected \"utf-8\" or \"shift_jis\", not \"" + encoding + "\"");
    }
    request.identifier = r.optional_string(t, "identifier", "rc-" + request.name);
    request.expect = defaults_for(request.body, *patient);
    if (const toml::table* expect = r.optional_table(t, "expect")) {
      r.only_keys(*expect, {"segment_of_result", "processing_result_status", "qualification_validity", "error_code",
                            "name", "birthdate", "consented"});
      AnswerExpectation& e = request.expect;
      if (expect->contains("consented")) {
        if (request.body != RequestBody::medication && request.body != RequestBody::checkup) {
          r.fail(*expect->get("consented"), "consented", "only a medication or checkup request expects a consent");
        }
        if (!r.optional_bool(*expect, "consented", true)) {
          // What the mock ONS answers without a consent on record (docs/domain/ons-messages.md).
          e.segment_of_result = "9";
          e.processing_result_status = "2";
          e.error_code = "HIL0430";
          e.information_returned = false;
        }
      }
      if (auto v = optional_code(r, *expect, "segment_of_result")) e.segment_of_result = v;
      if (auto v = optional_code(r, *expect, "processing_result_status")) e.processing_result_status = v;
      if (auto v = optional_code(r, *expect, "qualification_validity")) e.qualification_validity = v;
      if (auto v = optional_code(r, *expect, "error_code")) e.error_code = v;
      if (auto v = optional_code(r, *expect, "name")) e.name = v;
      if (auto v = optional_code(r, *expect, "birthdate")) e.birthdate = v;
    }
    session.requests.push_back(std::move(request));
  }
  if (session.requests.empty()) {
    throw Error(ErrorCode::config, "the session has no [[request]]", file.string());
  }
  return session;
}

}  // namespace onshi::receipt
