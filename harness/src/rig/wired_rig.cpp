#include "onshi/rig/wired_rig.hpp"

#include <cstdlib>

#include "onshi/core/error.hpp"
#include "onshi/population/population.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/flow/result_folder.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/mocks/card/patient_card.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/reader/ccid_card_reader.hpp"
#include "onshi/usb/in_process_transport.hpp"
#include "reader_link.hpp"

namespace onshi::rig {
namespace {

// The mTLS ONS client as the flow's qualification plug.
class OnsQualificationClient final : public flow::QualificationClient {
 public:
  OnsQualificationClient(ons::OnsClientOptions options, std::string endpoint)
      : client_(std::move(options)), endpoint_(std::move(endpoint)) {}
  ons::QualificationResult inquire(const ons::CardQualificationInquiry& inquiry) override {
    return client_.inquire(inquiry);
  }
  std::string endpoint() const override { return endpoint_; }

 private:
  ons::OnsClient client_;
  std::string endpoint_;
};

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// A path in the rig file, relative to the rig file's directory.
std::filesystem::path relative_to_rig(const RigConfig& config, const std::filesystem::path& p) {
  return p.is_absolute() ? p : config.file.parent_path() / p;
}

ons::WireFormat wire_format(const std::string& name, const std::string& where) {
  if (name == "xml") return {};
  if (name == "xml-sjis") return {ons::WireSyntax::xml, ons::TextEncoding::shift_jis};
  if (name == "json") return {ons::WireSyntax::json, ons::TextEncoding::utf8};
  throw Error(ErrorCode::config, "unknown ONS wire format '" + name + "' (xml, xml-sjis, json)", where);
}

ons::InterfaceProfile interface_profile(const RigConfig& config, const std::string& where) {
  if (config.ons.interface_profile.empty()) return ons::default_interface_profile();
  try {
    return ons::load_interface_profile(relative_to_rig(config, config.ons.interface_profile));
  } catch (const Error& e) {
    // The profile file's own error, plus which rig named it.
    throw Error(e.code(), e.message() + " (the [ons] interface_profile of " + where + ")", e.context());
  }
}

HostPort parse_https_url(const std::string& url, const std::string& where) {
  const std::string rest = url.substr(std::string("https://").size());
  const std::string authority = rest.substr(0, rest.find('/'));
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos || colon + 1 >= authority.size()) {
    throw Error(ErrorCode::config, "ONS url needs an explicit port: " + url, where);
  }
  HostPort hp;
  hp.host = authority.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') hp.host = hp.host.substr(1, hp.host.size() - 2);
  try {
    const int port = std::stoi(authority.substr(colon + 1));
    if (port <= 0 || port > 65535) throw std::out_of_range("port");
    hp.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw Error(ErrorCode::config, "bad port in ONS url " + url, where);
  }
  return hp;
}

}  // namespace

std::filesystem::path default_pki_dir() {
  if (const auto env = pki::test_pki_dir_from_environment()) return *env;
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache != '\0') {
    return std::filesystem::path(cache) / "onshi-hil" / "test-pki";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr && *home != '\0' ? home : "/tmp") / ".cache" / "onshi-hil" / "test-pki";
}

struct WiredRig::Impl {
  RigConfig config;
  std::filesystem::path pki_dir;
  pki::TestPki pki;
  population::Population population;
  std::vector<flow::Scenario> scenarios;
  std::unique_ptr<mocks::ons::OnsMockServer> mock;
  std::unique_ptr<OnsQualificationClient> ons;
  std::unique_ptr<flow::ResultFolder> results;
  std::string ons_wire;  // "xml-sjis, interface profile 2025.1"
};

WiredRig::WiredRig(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WiredRig::~WiredRig() = default;

std::unique_ptr<WiredRig> WiredRig::wire(const RigConfig& config, const WireOverrides& overrides) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  const std::string where = "rig " + config.file.string();
  // Before the PKI and the mock start: a typo in either fails at once.
  ons::InterfaceProfile profile = interface_profile(config, where);
  const ons::WireFormat format = wire_format(config.ons.wire, where);
  impl->population = population::load_population();
  impl->scenarios = flow::load_scenarios(config.scenario_catalogue.empty() ? flow::default_scenario_catalogue()
                                                                           : config.scenario_catalogue);
  impl->pki_dir = overrides.pki_dir ? *overrides.pki_dir : config.pki_dir.empty() ? default_pki_dir() : config.pki_dir;
  impl->pki = pki::ensure_test_pki(impl->pki_dir);
  const pki::PkiPaths paths(impl->pki_dir);
  impl->pki.terminal(config.facility_code);  // a facility without a terminal certificate fails here, by name

  ons::OnsClientOptions client;
  client.profile = std::move(profile);
  client.wire = format;
  if (config.ons.kind == "embedded-mock") {
    mocks::ons::OnsMockOptions options = mocks::ons::mock_options_from_pki(impl->pki_dir, impl->population);
    options.threads = static_cast<unsigned>(config.ons.threads);
    options.service.profile = client.profile;  // the mock serves the paths and names the client uses
    if (!config.ons.faults.empty()) {
      options.faults = mocks::ons::load_fault_plan(relative_to_rig(config, config.ons.faults).string());
    }
    options.admin_port = config.ons.admin_port;
    impl->mock = std::make_unique<mocks::ons::OnsMockServer>(std::move(options));
    impl->mock->start();
    client.endpoint.host = "127.0.0.1";
    client.endpoint.port = impl->mock->port();
    client.http.tls.ca_file = paths.ons_ca_cert();
    client.http.tls.cert_file = paths.terminal_cert(config.facility_code);
    client.http.tls.key_file = paths.terminal_key(config.facility_code);
    client.http.tls.server_name = "127.0.0.1";
  } else if (config.ons.kind == "remote") {
    const HostPort hp = parse_https_url(config.ons.url, where);
    client.endpoint.host = hp.host;
    client.endpoint.port = hp.port;
    client.http.tls.ca_file = config.ons.server_ca;
    client.http.tls.cert_file = config.ons.client_cert;
    client.http.tls.key_file = config.ons.client_key;
    client.http.tls.server_name = hp.host;
  } else {
    throw Error(ErrorCode::config, "unknown ONS link kind '" + config.ons.kind + "'", where);
  }
  const std::string endpoint =
      "https://" + client.endpoint.host + ":" + std::to_string(client.endpoint.port) + client.profile.paths.card;
  impl->ons_wire = config.ons.wire + ", interface profile " + client.profile.version;
  impl->ons = std::make_unique<OnsQualificationClient>(std::move(client), endpoint);
  impl->results = std::make_unique<flow::ResultFolder>(overrides.output_dir ? *overrides.output_dir : config.output_dir);
  return std::unique_ptr<WiredRig>(new WiredRig(std::move(impl)));
}

const RigConfig& WiredRig::config() const { return impl_->config; }
const std::vector<flow::Scenario>& WiredRig::scenarios() const { return impl_->scenarios; }
const flow::Scenario& WiredRig::scenario(const std::string& name) const {
  return flow::find_scenario(impl_->scenarios, name);
}
std::string WiredRig::ons_endpoint() const { return impl_->ons->endpoint(); }
std::string WiredRig::ons_wire() const { return impl_->ons_wire; }
std::filesystem::path WiredRig::pki_dir() const { return impl_->pki_dir; }

flow::RunRecord WiredRig::run(const flow::Scenario& scenario) {
  const population::Patient& patient = impl_->population.patient(scenario.patient);

  // Card and reader links (only "virtual" and "emulated/in-process" exist so far; the rig
  // parser refuses anything else by name).
  std::shared_ptr<iso7816::Icc> card = mocks::card::make_patient_card(patient, impl_->pki, {scenario.card.expired_auth_certificate});
  WiredReader wired_reader = wire_reader(impl_->config.reader, card, "rig " + impl_->config.file.string());
  reader::CardReader& card_reader = *wired_reader.reader;

  flow::Reception reception;
  reception.rig = impl_->config.name;
  reception.scenario = scenario;
  reception.facility_code = impl_->config.facility_code;
  for (const std::string& entry : scenario.pin_entries) {
    reception.pins.push_back(entry == "correct" ? patient.auth_pin : entry);
  }
  reception.collation_number_b = jpki::collation_number_b(patient.birthdate, patient.card_expiry, patient.security_code);
  const pki::Credential& terminal = impl_->pki.terminal(impl_->config.facility_code);
  reception.terminal = flow::TerminalCredential{terminal.certificate, terminal.key};
  flow::ReceptionFlow flow(flow::FlowPlugs{card_reader, *impl_->ons, *impl_->results});
  const std::uint64_t journal_before = impl_->mock ? impl_->mock->journal().last_sequence() : 0;
  flow::RunRecord record = flow.run(reception);
  if (impl_->mock) {
    for (const auto& e : impl_->mock->journal().entries_after(journal_before)) {
      record.ons_journal.push_back({e.sequence, e.kind == mocks::ons::MockLogEntry::Kind::request ? "request" : "handshake_failure",
                                    e.received_at, e.target, e.status, e.error_code, e.refusal, e.fault, e.client_serial,
                                    e.client_fingerprint, e.facility_code, e.patient_id, e.consents,
                                    std::chrono::duration_cast<Duration>(e.duration)});
    }
  }
  return record;
}

}  // namespace onshi::rig
