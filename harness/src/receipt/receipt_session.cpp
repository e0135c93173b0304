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
  e.qualification_validity = patient.insurance.on_record ? patient.insurance.validity : "4";
  if (patient.insurance.on_record) {
    e.name = patient.name;
    e.birthdate = patient.birthdate;
  }
  return e;
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
    r.only_keys(t, {"name", "patient", "encoding", "body", "identifier", "expect"});
    SessionRequest request;
    request.where = r.where(t);
    request.name = r.required_string(t, "name");
    if (!names.insert(request.name).second) r.fail(*t.get("name"), "name", "duplicate request name '" + request.name + "'");
    request.patient = r.required_string(t, "patient");
    const population::Patient* patient = nullptr;
    try {
      patient = &population.patient(request.patient);
    } catch (const Error&) {
      r.fail(*t.get("patient"), "patient", "no patient '" + request.patient + "' in the population");
    }
    const std::string encoding = r.optional_string(t, "encoding", "utf-8");
    if (encoding == "shift_jis") {
      request.encoding = ons::TextEncoding::shift_jis;
    } else if (encoding != "utf-8") {
      r.fail(*t.get("encoding"), "encoding", "expected \"utf-8\" or \"shift_jis\", not \"" + encoding + "\"");
    }
    const std::string body = r.optional_string(t, "body", "search");
    if (body == "truncated") {
      request.body = RequestBody::truncated;
    } else if (body != "search") {
      r.fail(*t.get("body"), "body", "expected \"search\" or \"truncated\", not \"" + body + "\"");
    }
    request.identifier = r.optional_string(t, "identifier", "rc-" + request.name);
    request.expect = defaults_for(request.body, *patient);
    if (const toml::table* expect = r.optional_table(t, "expect")) {
      r.only_keys(*expect, {"segment_of_result", "processing_result_status", "qualification_validity", "error_code",
                            "name", "birthdate"});
      AnswerExpectation& e = request.expect;
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
