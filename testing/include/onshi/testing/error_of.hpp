#pragma once
// error_of: the onshi::Error a call throws, so a test can check its code, message and
// context one by one. A call that throws nothing (or something else) fails the test.
// throws_error: the same as one assertion on code, context (exactly) and a message part.
//
//   const onshi::Error e = onshi::testing::error_of([&] { parse_host_port("host:"); });
//   EXPECT_EQ(e.code(), onshi::ErrorCode::invalid_argument);
//   EXPECT_EQ(e.message(), "bad port '' in 'host:'");
//   EXPECT_TRUE(throws_error([&] { decode(xml); }, ErrorCode::malformed_input, "XmlMsg/MessageBody", "missing"));
#include <gtest/gtest.h>

#include <string>

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

// Passes when `call` throws an onshi::Error with `code` and exactly `context` whose message
// contains `message_part` (empty: any message); else says what was thrown instead.
template <class F>
::testing::AssertionResult throws_error(F&& call, ErrorCode code, const std::string& context,
                                        const std::string& message_part = {}) {
  try {
    call();
  } catch (const Error& e) {
    if (e.code() != code) return ::testing::AssertionFailure() << "code " << to_string(e.code()) << ": " << e.what();
    if (e.context() != context) return ::testing::AssertionFailure() << "context '" << e.context() << "': " << e.what();
    if (e.message().find(message_part) == std::string::npos) {
      return ::testing::AssertionFailure() << "message lacks '" << message_part << "': " << e.what();
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no exception";
}

}  // namespace onshi::testing
