#pragma once
// [ons] kind = "remote": an ONS endpoint started elsewhere — a standalone mock
// (`onshi-hil mock ons`, onshi-ons-mock) or a site's verification environment — reached with
// the site's own terminal certificate.
#include "onshi/core/host_port.hpp"
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"

namespace onshi::links {

struct RemoteOnsSettings final : LinkSettings {
  std::string url;  // https://HOST:PORT
  HostPort endpoint;
  RigPath server_ca;    // CA bundle that signs the server certificate
  RigPath client_cert;  // the site's terminal certificate
  RigPath client_key;
};

}  // namespace onshi::links
