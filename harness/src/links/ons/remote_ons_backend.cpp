// [ons] kind = "remote" (see remote_ons_settings.hpp).
#include "onshi/links/ons/remote_ons_settings.hpp"
#include "onshi/links/ons_backend.hpp"

namespace onshi::links {
namespace {

class RemoteOnsLink final : public OnsLink {
 public:
  explicit RemoteOnsLink(const RemoteOnsSettings& s) : settings_(s) {
    // Checked when the rig is wired, not at the first inquiry: a wrong path names its key.
    settings_.server_ca.existing_file();
    settings_.client_cert.existing_file();
    settings_.client_key.existing_file();
  }
  void configure_client(ons::OnsClientOptions& client) const override {
    client.endpoint.host = settings_.endpoint.host;
    client.endpoint.port = settings_.endpoint.port;
    client.http.tls.ca_file = settings_.server_ca.resolved;
    client.http.tls.cert_file = settings_.client_cert.resolved;
    client.http.tls.key_file = settings_.client_key.resolved;
    client.http.tls.server_name = settings_.endpoint.host;
  }

 private:
  RemoteOnsSettings settings_;
};

OnsBackend remote_ons_backend() {
  OnsBackend b;
  b.name = "remote";
  b.summary = "an ONS endpoint started elsewhere (url = https://HOST:PORT, server_ca, client_cert, client_key)";
  b.keys = {"url", "server_ca", "client_cert", "client_key"};
  b.parse = [](const LinkTable& t) {
    auto s = std::make_shared<RemoteOnsSettings>();
    s->url = t.required_string("url");
    HttpsUrl url;
    try {
      url = parse_https_url(s->url);
    } catch (const Error& e) {
      t.fail("url", e.message());
    }
    if (url.path != "/") {
      t.fail("url", "give only https://HOST:PORT: the paths come from the interface profile, got '" + url.path + "'");
    }
    if (url.endpoint.port == 0) t.fail("url", "port 0 is not an endpoint");
    s->endpoint = url.endpoint;
    s->server_ca = t.required_path("server_ca");
    s->client_cert = t.required_path("client_cert");
    s->client_key = t.required_path("client_key");
    return s;
  };
  b.open = [](const LinkSettings& s, const OnsOpenContext&) -> std::unique_ptr<OnsLink> {
    return std::make_unique<RemoteOnsLink>(dynamic_cast<const RemoteOnsSettings&>(s));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(OnsBackend, remote_ons_backend())

}  // namespace onshi::links
