// Error: the code callers branch on, the message and context kept apart, and what() as a
// person reads it: "<code> error: <context>: <message>".
#include <gtest/gtest.h>

#include <set>

#include "onshi/core/error.hpp"

namespace onshi {
namespace {

TEST(Error, WhatNamesTheCodeTheContextAndTheMessage) {
  const Error e(ErrorCode::config, "missing key 'kind'", "rigs/x.toml:3");
  EXPECT_STREQ(e.what(), "configuration error: rigs/x.toml:3: missing key 'kind'");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.message(), "missing key 'kind'");
  EXPECT_EQ(e.context(), "rigs/x.toml:3");
}

TEST(Error, WithoutContextWhatHasNoEmptyPart) {
  EXPECT_STREQ(Error(ErrorCode::timeout, "no card within 10 s").what(), "timeout error: no card within 10 s");
}

TEST(Error, EveryCodeHasItsOwnName) {
  const ErrorCode all[] = {ErrorCode::malformed_input, ErrorCode::invalid_argument, ErrorCode::config,
                           ErrorCode::not_found,       ErrorCode::io,               ErrorCode::timeout,
                           ErrorCode::protocol,        ErrorCode::tls,              ErrorCode::crypto,
                           ErrorCode::card,            ErrorCode::device,           ErrorCode::state};
  std::set<std::string_view> names;
  for (ErrorCode c : all) {
    EXPECT_NE(to_string(c), "unknown");
    names.insert(to_string(c));
  }
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(to_string(ErrorCode::tls), "tls");
}

}  // namespace
}  // namespace onshi
