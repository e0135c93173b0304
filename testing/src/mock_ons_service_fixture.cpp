#include "onshi/testing/mock_ons_service_fixture.hpp"

#include "onshi/mocks/ons/enrolments.hpp"
#include "onshi/population/population.hpp"

namespace onshi::testing {

void MockOnsServiceTest::SetUp() {
  const auto dir = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register with NEEDS_PKI)";
  paths_ = std::make_unique<pki::PkiPaths>(*dir);
  pki_ = pki::load_test_pki(*dir);
  clock_.set_wall(pki_.patient("P001").certificate.not_before() + std::chrono::hours(36));
}

mocks::ons::OnsMockServiceConfig MockOnsServiceTest::config() const {
  mocks::ons::OnsMockServiceConfig c;
  c.population = population::load_population();
  c.enrolments = mocks::ons::load_enrolments(paths_->manifest());
  c.jpki_ca = pki_.jpki_ca.certificate;
  c.clock = &clock_;
  return c;
}

}  // namespace onshi::testing
