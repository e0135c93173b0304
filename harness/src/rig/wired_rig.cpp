#include "onshi/rig/wired_rig.hpp"

#include <cstdlib>

#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/ons_backend.hpp"
#include "onshi/links/output_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/card_credentials.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/patient_resolver.hpp"
#include "onshi/population/population.hpp"
#include "onshi/rig/cards_in_pki.hpp"
#include "onshi/rig/ons_client_setup.hpp"
#include "onshi/rig/reception_plan.hpp"

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

template <class Backend>
const Backend& backend_of(const links::LinkChoice& choice) {
  const Backend* backend = links::Registry<Backend>::instance().find(choice.kind);
  if (backend == nullptr) {
    // Parsed by a program that had the backend, wired by one that has not.
    throw Error(ErrorCode::config, "no " + std::string(Backend::link) + " backend '" + choice.kind + "' in this program (known: " +
                                       links::known_names<Backend>() + ")",
                choice.where);
  }
  return *backend;
}

// A link's own error, plus which rig and link it came from.
template <class F>
auto opening(const links::LinkChoice& choice, const std::string& rig, F&& open) {
  try {
    return open();
  } catch (const Error& e) {
    if (e.context().find(rig) != std::string::npos) throw;
    throw Error(e.code(), e.message(),
                "rig " + rig + " " + choice.where + " kind=" + choice.kind + (e.context().empty() ? "" : ": " + e.context()));
  }
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
  std::string rig;  // the rig file, for messages
  std::filesystem::path pki_dir;
  pki::TestPki pki;
  std::optional<population::PatientResolver> patients;  // the shipped population, plus a generated one
  std::vector<flow::Scenario> scenarios;
  std::unique_ptr<links::OnsLink> ons_link;
  std::unique_ptr<OnsQualificationClient> ons;
  ons::OnsClientOptions client_options;  // a copy of what the ONS link configured
  std::unique_ptr<links::OutputLink> output;
  std::string ons_wire;  // "xml-sjis, interface profile 2025.1"
  std::function<bool(const std::string&)> confirm_last_pin_try;
};

WiredRig::WiredRig(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WiredRig::~WiredRig() = default;

std::unique_ptr<WiredRig> WiredRig::wire(const RigConfig& config, const WireOverrides& overrides) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->rig = config.file.string();
  // Before the PKI and the ONS link: a typo in either fails at once.
  ons::OnsClientOptions client;
  client.profile = interface_profile_for(config.ons_client);
  client.wire = wire_format_named(config.ons_client.wire, "rig " + impl->rig);
  client.http.timeout = std::chrono::milliseconds(config.ons_client.timeout_ms);
  impl->patients.emplace(overrides.population);
  const population::Population& population = impl->patients->population();
  impl->scenarios = flow::load_scenarios(
      config.scenario_catalogue.empty() ? flow::default_scenario_catalogue() : config.scenario_catalogue, population);
  impl->pki_dir = overrides.pki_dir ? *overrides.pki_dir : config.pki_dir.empty() ? default_pki_dir() : config.pki_dir;
  impl->pki = pki::ensure_test_pki(impl->pki_dir);
  impl->pki.terminal(config.facility_code);  // a facility without a terminal certificate fails here, by name

  const auto& ons_backend = backend_of<links::OnsBackend>(config.ons);
  const links::OnsOpenContext ons_context{impl->pki_dir, impl->pki, population, config.facility_code,
                                          client.profile, "rig " + impl->rig + " " + config.ons.where};
  impl->ons_link = opening(config.ons, impl->rig, [&] { return ons_backend.open(*config.ons.settings, ons_context); });
  impl->ons_link->configure_client(client);
  const std::string endpoint =
      "https://" + HostPort{client.endpoint.host, client.endpoint.port}.to_string() + client.profile.paths.card;
  impl->ons_wire = config.ons_client.wire + ", interface profile " + client.profile.version;
  impl->client_options = client;
  impl->ons = std::make_unique<OnsQualificationClient>(std::move(client), endpoint);

  const auto& output_backend = backend_of<links::OutputBackend>(config.output);
  const links::OutputOpenContext output_context{overrides.output_dir, "rig " + impl->rig + " " + config.output.where};
  impl->output =
      opening(config.output, impl->rig, [&] { return output_backend.open(*config.output.settings, output_context); });
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
ons::OnsClientOptions WiredRig::ons_client_options() const { return impl_->client_options; }
std::filesystem::path WiredRig::output_root() const { return impl_->output->results().root(); }
ons::TextEncoding WiredRig::output_encoding() const { return impl_->output->encoding(); }
std::uint64_t WiredRig::ons_journal_mark() const { return impl_->ons_link->journal_mark(); }
std::vector<flow::OnsJournalEntry> WiredRig::ons_journal_after(std::uint64_t mark) const {
  return impl_->ons_link->journal_after(mark);
}

flow::Scenario WiredRig::scenario_for_patient(const flow::Scenario& scenario, const std::string& patient_id) const {
  const population::Patient& patient = impl_->patients->resolve(patient_id, cards_in(impl_->pki));
  flow::Scenario played = scenario;
  played.patient = patient.id;
  if (!played.expect_validity.empty()) played.expect_validity = population::expected_card_validity(patient);
  return played;
}

std::vector<std::string> WiredRig::generated_patients_with_cards(std::size_t count) const {
  std::vector<std::string> ids;
  for (const population::Patient* p : impl_->patients->generated_with_cards(count, cards_in(impl_->pki))) {
    ids.push_back(p->id);
  }
  return ids;
}

void WiredRig::on_last_pin_try(std::function<bool(const std::string& question)> ask) {
  impl_->confirm_last_pin_try = std::move(ask);
}

flow::RunRecord WiredRig::run(const flow::Scenario& scenario, run::EventSink* events) {
  const RigConfig& config = impl_->config;
  const population::Patient& patient = impl_->patients->population().patient(scenario.patient);

  const auto& card_backend = backend_of<links::CardBackend>(config.card);
  const links::CardOpenContext card_context{patient, impl_->pki, scenario.card, "rig " + impl_->rig + " " + config.card.where};
  std::shared_ptr<iso7816::Icc> card =
      opening(config.card, impl_->rig, [&] { return card_backend.open(*config.card.settings, card_context); });

  const auto& reader_backend = backend_of<links::ReaderBackend>(config.reader);
  const std::string reader_where = "rig " + impl_->rig + " " + config.reader.where + " kind=" + config.reader.kind;
  std::unique_ptr<links::ReaderLink> reader = opening(
      config.reader, impl_->rig, [&] { return reader_backend.open(*config.reader.settings, {std::move(card), reader_where}); });

  flow::Reception reception = plan_reception(config.name, scenario, patient, impl_->pki, config.facility_code);
  // The card guard: the scenario patient's card, and a physical card's last PIN try kept.
  reception.expected_card_id = pki::card_id(patient.id);
  reception.precious_card = config.card.kind == "physical";
  reception.confirm_last_pin_try = impl_->confirm_last_pin_try;
  flow::ReceptionFlow flow(flow::FlowPlugs{reader->reader(), *impl_->ons, impl_->output->results()});
  const std::uint64_t journal_mark = impl_->ons_link->journal_mark();
  flow::RunRecord record = flow.run(reception, events);
  record.ons_journal = impl_->ons_link->journal_after(journal_mark);
  return record;
}

}  // namespace onshi::rig
