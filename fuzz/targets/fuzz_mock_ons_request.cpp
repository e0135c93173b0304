// The mock ONS's request entry without sockets (OnsMockService::handle; the HTTP framing is
// Boost.Beast's, reached only over a socket): the first byte picks the endpoint of the
// default interface profile, the second the Content-Type, the rest is the body, sent with
// facility 1312345678's terminal certificate. Every request gets an answer, never a throw.
#include <cstdio>
#include <cstdlib>

#include "../fuzz_support.hpp"
#include "../pki_once.hpp"
#include "onshi/mocks/ons/enrolments.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/population/population.hpp"

namespace {

const onshi::mocks::ons::OnsMockService& service() {
  static const onshi::mocks::ons::OnsMockService s = [] {
    const onshi::pki::TestPki& pki = onshi::fuzz::test_pki();
    onshi::mocks::ons::OnsMockServiceConfig c;
    c.population = onshi::population::load_population();
    c.enrolments = onshi::mocks::ons::load_enrolments(onshi::pki::PkiPaths(onshi::fuzz::test_pki_dir()).manifest());
    c.jpki_ca = pki.jpki_ca.certificate;
    c.bulk_jobs_kept = 64;  // one process handles millions of inputs
    return onshi::mocks::ons::OnsMockService(std::move(c));
  }();
  return s;
}

}  // namespace

// The test PKI (a dozen RSA keys when it is not there yet) is made before the per-input timeout runs.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)service();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto& paths = onshi::ons::default_interface_profile().paths;
  const std::string targets[] = {paths.card,        paths.search,     paths.medication, paths.checkup,
                                 paths.bulk_submit, paths.bulk_fetch, paths.login,      "/nowhere"};
  const char* content_types[] = {"application/xml", "application/xml; charset=Shift_JIS", "application/json",
                                 "text/plain"};
  onshi::mocks::ons::MockRequest request;
  request.method = (data[0] & 0x80) ? "GET" : "POST";
  request.target = targets[data[0] % 8];
  request.content_type = content_types[data[1] % 4];
  request.body = std::string(onshi::fuzz::as_text(data + 2, size - 2));
  request.terminal_certificate = onshi::fuzz::test_pki().terminal("1312345678").certificate;
  try {
    (void)service().handle(std::move(request));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "the mock ONS threw instead of answering: %s\n", e.what());
    std::abort();
  }
  return 0;
}
