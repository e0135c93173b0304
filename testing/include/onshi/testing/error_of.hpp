#pragma once
// error_of: the onshi::Error a call throws, so a test can check its code, message and
// context one by one. A call that throws nothing (or something else) fails the test.
//
//   const onshi::Error e = onshi::testing::error_of([&] { parse_host_port("host:"); });
//   EXPECT_EQ(e.code(), onshi::ErrorCode::invalid_argument);
//   EXPECT_EQ(e.message(), "bad port '' in 'host:'");
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"

namespace onshi::testing {

template <class F>
Error error_of(F&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "the call threw no onshi::Error";
  return Error(ErrorCode::state, "(no error was thrown)");
}

}  // namespace onshi::testing
