// The doctor's order of examination (docs/doctor.md): the test PKI and the ONS link first,
// since every later check reads what they give, then each link in turn. A check that cannot
// run because an earlier one failed says so instead of failing twice.
#include <ctime>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/links/ons_backend.hpp"
#include "onshi/rig/ons_client_setup.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::doctor {
namespace detail {

void Examination::ok(std::string check, std::string what, std::vector<run::Measurement> measurements) {
  findings.push_back({std::move(check), Finding::Severity::ok, std::move(what), {}, std::move(measurements)});
}
void Examination::warning(std::string check, std::string what, std::string fix,
                          std::vector<run::Measurement> measurements) {
  findings.push_back({std::move(check), Finding::Severity::warning, std::move(what), std::move(fix), std::move(measurements)});
}
void Examination::failed(std::string check, std::string what, std::string fix, std::vector<run::Measurement> measurements) {
  findings.push_back({std::move(check), Finding::Severity::failed, std::move(what), std::move(fix), std::move(measurements)});
}

std::string format_day(WallTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

namespace {

std::string error_text(const Error& e) { return e.context().empty() ? e.message() : e.message() + " (" + e.context() + ")"; }

void load_pki(Examination& exam) {
  exam.pki_dir = exam.options.pki_dir ? *exam.options.pki_dir
                 : exam.rig.pki_dir.empty() ? rig::default_pki_dir()
                                            : exam.rig.pki_dir;
  try {
    exam.population = population::load_population();
    exam.pki = pki::ensure_test_pki(exam.pki_dir);
    exam.ok("test_pki", "the test PKI in " + exam.pki_dir.string() + " is complete and usable");
  } catch (const Error& e) {
    exam.failed("test_pki", "the test PKI in " + exam.pki_dir.string() + " cannot be used: " + error_text(e),
                "make a new one with `onshi-hil pki --out " + exam.pki_dir.string() +
                    " --force` (a vendor terminal that trusts the old CA must be given the new one), or set [pki] dir");
  }
}

// The ONS link as the rig would open it: an embedded mock starts here (and stops when the
// examination ends); a remote one only has its files checked.
void open_ons_link(Examination& exam, std::unique_ptr<links::OnsLink>& link) {
  exam.remote_ons = exam.rig.ons.kind == "remote";
  if (!exam.pki || !exam.population) return;
  try {
    const links::OnsBackend* backend = links::Registry<links::OnsBackend>::instance().find(exam.rig.ons.kind);
    if (backend == nullptr) {
      throw Error(ErrorCode::config, "no ONS backend '" + exam.rig.ons.kind + "' in this program (known: " +
                                         links::known_names<links::OnsBackend>() + ")");
    }
    ons::OnsClientOptions client;
    client.profile = rig::interface_profile_for(exam.rig.ons_client);
    const links::OnsOpenContext context{exam.pki_dir, *exam.pki, *exam.population, exam.rig.facility_code, client.profile,
                                        "rig " + exam.rig.file.string() + " " + exam.rig.ons.where};
    link = backend->open(*exam.rig.ons.settings, context);
    link->configure_client(client);
    client.http.timeout = exam.options.network_timeout;
    exam.client = client;
    exam.ok("ons.link", "[ons] kind = \"" + exam.rig.ons.kind + "\": https://" +
                            HostPort{client.endpoint.host, client.endpoint.port}.to_string());
  } catch (const Error& e) {
    exam.failed("ons.link", "the [ons] link cannot be opened: " + error_text(e),
                "correct the [ons] table of " + exam.rig.file.string() +
                    " (the message names the key); a remote ONS needs url, server_ca, client_cert and client_key");
  }
}

}  // namespace
}  // namespace detail

std::vector<Finding> examine_rig(const rig::RigConfig& rig, const DoctorOptions& options) {
  detail::Examination exam(rig, options);
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::instance();
  exam.now = clock.wall_now();
  std::unique_ptr<links::OnsLink> ons_link;  // an embedded mock lives as long as the examination
  detail::load_pki(exam);
  detail::open_ons_link(exam, ons_link);
  detail::check_terminal_certificate(exam);
  detail::check_ons_endpoint(exam);
  detail::check_terminal_certificate_chain(exam);
  detail::check_crl(exam);
  detail::check_card_pki(exam);
  detail::check_reader_and_card(exam);
  detail::check_result_folders(exam);
  return std::move(exam.findings);
}

}  // namespace onshi::doctor
