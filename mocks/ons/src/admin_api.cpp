#include "onshi/mocks/ons/admin_api.hpp"

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "peer_text.hpp"

namespace onshi::mocks::ons {
namespace {

AdminReply error(unsigned status, const std::string& message) { return admin_error_reply(status, message); }

}  // namespace

// `message` may quote what the peer sent (a URL, the byte a JSON parse choked on): made valid
// UTF-8 first, as the JSON it goes into must be (peer_text.hpp).
AdminReply admin_error_reply(unsigned status, const std::string& message) {
  return {status, "application/json", nlohmann::json{{"error", detail::valid_utf8(message)}}.dump()};
}

AdminReply handle_admin(const std::string& method, const std::string& target, const std::string& body,
                        FaultInjector& faults, const Journal& journal, const OnsMockStats& stats) {
  const std::size_t q = target.find('?');
  const std::string path = target.substr(0, q);
  const std::string query = q == std::string::npos ? std::string() : target.substr(q + 1);
  if (path == "/faults") {
    if (method == "GET") return {200, "application/json", to_json(faults.plan())};
    if (method == "PUT" || method == "POST") {
      try {
        faults.install(parse_fault_plan(body, "admin PUT /faults"));
      } catch (const Error& e) {
        return error(400, e.what());
      }
      return {200, "application/json", to_json(faults.plan())};
    }
    if (method == "DELETE") {
      faults.clear();
      return {200, "application/json", to_json(faults.plan())};
    }
    return error(405, "use GET, PUT or DELETE");
  }
  if (path == "/journal" && method == "GET") {
    std::uint64_t after = 0;
    if (query.rfind("after=", 0) == 0) {
      try {
        std::size_t used = 0;
        after = std::stoull(query.substr(6), &used);
        if (used != query.size() - 6) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        return error(400, "after must be a sequence number: " + query);
      }
    } else if (!query.empty()) {
      return error(400, "unknown query: " + query);
    }
    return {200, "application/json", journal_to_json(journal.entries_after(after))};
  }
  if (path == "/stats" && method == "GET") {
    nlohmann::json j{{"connections", stats.connections},       {"handshakes", stats.handshakes},
                     {"handshake_failures", stats.handshake_failures}, {"requests", stats.requests},
                     {"refused_requests", stats.refused_requests}, {"open_connections", stats.open_connections},
                     {"journal_last_sequence", journal.last_sequence()}};
    return {200, "application/json", j.dump()};
  }
  return error(404, "no such admin endpoint: " + method + " " + path);
}

}  // namespace onshi::mocks::ons
