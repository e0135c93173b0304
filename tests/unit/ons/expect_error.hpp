#pragma once
// Asserts that a call throws onshi::Error with a given code and context (the element path).
#include <gtest/gtest.h>

#include <string>

#include "onshi/core/error.hpp"

namespace onshi::testing {

template <class F>
::testing::AssertionResult throws_error(F&& f, ErrorCode code, const std::string& context,
                                        const std::string& message_part = {}) {
  try {
    f();
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
