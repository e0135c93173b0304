#pragma once
// MockOnsServiceTest: a GoogleTest fixture for the mock ONS's request handling without a
// server or TLS (mocks::ons::OnsMockService): the shared test PKI ($ONSHI_TEST_PKI; register
// with NEEDS_PKI), a TestClock 36 hours into P001's card certificate, and a service
// configuration over the synthetic population with the PKI's enrolled cards.
//
//   class MyServiceTest : public onshi::testing::MockOnsServiceTest {};
//   TEST_F(MyServiceTest, Answers) {
//     const mocks::ons::OnsMockService service(config());
//     clock_.advance(std::chrono::hours(25));
//   }
#include <gtest/gtest.h>

#include <memory>

#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::testing {

class MockOnsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // The population, enrolments from the PKI's manifest, the JPKI CA and clock_.
  mocks::ons::OnsMockServiceConfig config() const;

  std::unique_ptr<pki::PkiPaths> paths_;
  pki::TestPki pki_;
  TestClock clock_;
};

}  // namespace onshi::testing
