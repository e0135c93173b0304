// [ons] kind = "embedded-mock" (see embedded_mock_settings.hpp). Its journal becomes the run
// record's ons_journal: what the ONS side saw of each reception.
#include "onshi/links/ons_backend.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/mocks/ons/links/embedded_mock_settings.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/pki/pki_paths.hpp"

namespace onshi::mocks::ons {
namespace {

flow::OnsJournalEntry to_record_entry(const MockLogEntry& e) {
  return {e.sequence,
          e.kind == MockLogEntry::Kind::request ? "request" : "handshake_failure",
          e.received_at,
          e.target,
          e.status,
          e.error_code,
          e.refusal,
          e.fault,
          e.client_serial,
          e.client_fingerprint,
          e.facility_code,
          e.patient_id,
          e.consents,
          std::chrono::duration_cast<Duration>(e.duration)};
}

class EmbeddedMockLink final : public links::OnsLink {
 public:
  EmbeddedMockLink(const EmbeddedMockSettings& s, const links::OnsOpenContext& context)
      : paths_(context.pki_dir), facility_code_(context.facility_code) {
    OnsMockOptions options = mock_options_from_pki(context.pki_dir, context.population);
    options.threads = s.threads;
    options.service.profile = context.profile;  // the mock serves the paths and names the client uses
    if (!s.faults.empty()) {
      try {
        options.faults = load_fault_plan(s.faults.existing_file().string());
      } catch (const Error& e) {
        throw Error(e.code(), e.message() + " (the fault plan " + s.faults.resolved.string() + ")", s.faults.where);
      }
    }
    options.admin_port = s.admin_port;
    server_ = std::make_unique<OnsMockServer>(std::move(options));
    server_->start();
  }

  void configure_client(onshi::ons::OnsClientOptions& client) const override {
    client.endpoint.host = "127.0.0.1";
    client.endpoint.port = server_->port();
    client.http.tls.ca_file = paths_.ons_ca_cert();
    client.http.tls.cert_file = paths_.terminal_cert(facility_code_);
    client.http.tls.key_file = paths_.terminal_key(facility_code_);
    client.http.tls.server_name = "127.0.0.1";
  }

  std::uint64_t journal_mark() const override { return server_->journal().last_sequence(); }

  std::vector<flow::OnsJournalEntry> journal_after(std::uint64_t mark) const override {
    std::vector<flow::OnsJournalEntry> out;
    for (const MockLogEntry& e : server_->journal().entries_after(mark)) out.push_back(to_record_entry(e));
    return out;
  }

 private:
  pki::PkiPaths paths_;
  std::string facility_code_;
  std::unique_ptr<OnsMockServer> server_;
};

links::OnsBackend embedded_mock_backend() {
  links::OnsBackend b;
  b.name = "embedded-mock";
  b.summary = "the mock ONS in this process on 127.0.0.1 (threads, faults = plan.json, admin_port)";
  b.keys = {"threads", "faults", "admin_port"};
  b.parse = [](const links::LinkTable& t) {
    auto s = std::make_shared<EmbeddedMockSettings>();
    s->threads = static_cast<unsigned>(t.integer("threads", s->threads, 1, 64));
    s->faults = t.path("faults");
    s->admin_port = static_cast<int>(t.integer("admin_port", s->admin_port, -1, 65535));
    return s;
  };
  b.open = [](const links::LinkSettings& s, const links::OnsOpenContext& context) -> std::unique_ptr<links::OnsLink> {
    return std::make_unique<EmbeddedMockLink>(dynamic_cast<const EmbeddedMockSettings&>(s), context);
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(links::OnsBackend, embedded_mock_backend())

}  // namespace onshi::mocks::ons
