// OnsMockOptions from a test-PKI directory, laid out as onshi/pki/pki_paths.hpp says.
#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/pki/pki_paths.hpp"

namespace onshi::mocks::ons {

OnsMockOptions mock_options_from_pki(const std::filesystem::path& pki_dir, population::Population population) {
  std::error_code ec;
  if (!std::filesystem::is_directory(pki_dir, ec)) {
    throw Error(ErrorCode::not_found, "test-PKI directory does not exist", pki_dir.string());
  }
  const pki::PkiPaths paths(pki_dir);
  OnsMockOptions options;
  options.tls.cert_file = paths.ons_server_cert();
  options.tls.key_file = paths.ons_server_key();
  if (std::filesystem::exists(paths.ons_server_chain(), ec)) options.tls.chain_file = paths.ons_server_chain();
  options.tls.client_ca_file = paths.terminal_ca_cert();
  options.service.jpki_ca = crypto::Certificate::load_pem_file(paths.jpki_ca_cert());
  // Cards of patients this population lacks (the recipe's, when serving a generated one) are
  // not enrolled: answered 4 (該当資格なし) instead of failing the start.
  options.service.enrolments = load_enrolments(paths.manifest()).only_patients_in(population);
  options.service.population = std::move(population);
  return options;
}

}  // namespace onshi::mocks::ons
