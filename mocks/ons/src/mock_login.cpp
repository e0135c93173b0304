// The mock ONS's login step (docs/domain/ons-messages.md, login): over mTLS, JSON credentials in, a random
// expiring token out; with login_required, other endpoints want it in Authorization.
#include <nlohmann/json.hpp>

#include "onshi/core/bytes.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"

namespace onshi::mocks::ons {
namespace {

MockResponse json_response(unsigned status, const nlohmann::json& body) {
  MockResponse r;
  r.status = status;
  r.content_type = "application/json; charset=UTF-8";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // peer text may be echoed
  return r;
}

MockResponse login_refusal(unsigned status, const std::string& message) {
  MockResponse r = json_response(status, {{"status", "NG"}, {"msg", message}, {"result", nullptr}});
  r.outcome.error = onshi::ons::ProfileError::unauthenticated;
  r.outcome.refusal = "login_failed";
  return r;
}

std::string fresh_token() { return to_hex(crypto::random_bytes(32)); }

}  // namespace

MockResponse OnsMockService::login(const MockRequest& request, const std::string& facility) const {
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body.substr(0, config_.max_xml_bytes));
  } catch (const nlohmann::json::exception&) {
    return login_refusal(400, "login body is not valid JSON");
  }
  const std::string& id_field = config_.profile.login_id_field;
  const std::string& password_field = config_.profile.password_field;
  if (!body.is_object() || !body.contains(id_field) || !body[id_field].is_string() || !body.contains(password_field) ||
      !body[password_field].is_string()) {
    return login_refusal(400, "expected {\"" + id_field + "\":\"…\",\"" + password_field + "\":\"…\"}");
  }
  if (body[id_field].get<std::string>() != config_.login_id ||
      body[password_field].get<std::string>() != config_.login_password) {
    return login_refusal(401, "unknown login id or wrong password");
  }
  const WallTime now = config_.clock->wall_now();
  const std::string id_token = fresh_token();
  {
    const std::lock_guard lock(token_mutex_);
    std::erase_if(tokens_, [&](const auto& entry) { return entry.second.expires_at <= now; });
    if (tokens_.size() >= 10'000) tokens_.erase(tokens_.begin());  // bounded, whatever clients do
    tokens_[id_token] = LoginToken{facility, now + config_.token_lifetime};
  }
  nlohmann::json result = {{"accessToken", fresh_token()},
                           {"refreshToken", fresh_token()},
                           {"idToken", id_token},
                           {"linkSysCharCd", "0"},
                           {"expiresIn", config_.token_lifetime.count()}};
  MockResponse r = json_response(200, {{"status", "OK"}, {"msg", ""}, {"result", result}});
  r.outcome.consents.push_back("login=ok");
  return r;
}

bool OnsMockService::token_valid(const std::string& authorization, const std::string& facility) const {
  std::string token = authorization;
  if (token.rfind("Bearer ", 0) == 0) token.erase(0, 7);
  if (token.empty()) return false;
  const WallTime now = config_.clock->wall_now();
  const std::lock_guard lock(token_mutex_);
  const auto it = tokens_.find(token);
  // A token is the facility's: another terminal certificate cannot borrow it.
  return it != tokens_.end() && it->second.expires_at > now && it->second.facility == facility;
}

}  // namespace onshi::mocks::ons
