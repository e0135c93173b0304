#pragma once
// The connectivity checks' probes: a TCP connect, a mutual-TLS handshake with the site's
// terminal certificate, one insurance-card-path inquiry, each against the endpoint and TLS
// files the rig's ONS link configured. Each throws RigBroken when the rig cannot do it.
#include <chrono>
#include <string>

#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/tls/session_info.hpp"

namespace onshi::optest {

// Connects a plain TCP socket and closes it; RigBroken naming the endpoint and errno's text.
void tcp_connect(const ons::OnsEndpoint& endpoint, std::chrono::milliseconds timeout);
// A full handshake; what was negotiated.
tls::TlsSessionInfo tls_handshake(const ons::OnsClientOptions& options);
// A QualificationConfirmSearchInfo for the synthetic patient's insurance card.
ons::QualificationResult search_inquiry(const ons::OnsClientOptions& options, const std::string& patient_id,
                                        const std::string& facility_code);

}  // namespace onshi::optest
