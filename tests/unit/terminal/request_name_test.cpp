#include <gtest/gtest.h>

#include "onshi/terminal/request_name.hpp"

namespace onshi::terminal {
namespace {

TEST(RequestName, KnowsEachServedPrefix) {
  EXPECT_EQ(classify_request_name("OQSsiquc01req_20261201_0001.xml"), RequestKind::qualification_search);
  EXPECT_EQ(classify_request_name("YZKsiquc01req_20261201_0002.xml"), RequestKind::medication);
  EXPECT_EQ(classify_request_name("TKKsiquc01req_20261201_0003.xml"), RequestKind::checkup);
  EXPECT_EQ(classify_request_name("OQSmuquc01req_20261201_0004.xml"), RequestKind::bulk_submit);
  EXPECT_EQ(classify_request_name("OQSmuquc02req_20261201_0005.XML"), RequestKind::bulk_fetch);
  EXPECT_EQ(classify_request_name("OQSmuimm01req_20261201_0006.xml"), RequestKind::reference_submit);
  EXPECT_EQ(classify_request_name("OQSmuimm02req_20261201_0007.xml"), RequestKind::reference_fetch);
}

TEST(RequestName, AGrammaticalRequestOfAnotherFunctionIsNotServed) {
  EXPECT_EQ(classify_request_name("OQSsiimm01req_20261201_0001.xml"), RequestKind::not_served);
}

TEST(RequestName, LeavesTemporaryAndForeignFilesAlone) {
  EXPECT_EQ(classify_request_name(".OQSsiquc01req_20261201_0001.xml"), std::nullopt);
  EXPECT_EQ(classify_request_name("OQSsiquc01req_20261201_0001.xml.tmp"), std::nullopt);
  EXPECT_EQ(classify_request_name("OQSsiquc01req_20261201_0001.tmp"), std::nullopt);
  EXPECT_EQ(classify_request_name("OQSsiquc01res_20261201_0001.xml"), std::nullopt);
  EXPECT_EQ(classify_request_name("notes.xml"), std::nullopt);
  EXPECT_EQ(classify_request_name("OQSsiquc01req_.xml"), RequestKind::qualification_search);
}

TEST(RequestName, TheAnswerChangesOnlyThePrefixsReq) {
  EXPECT_EQ(response_name("OQSsiquc01req_20261201_0001.xml"), "OQSsiquc01res_20261201_0001.xml");
  EXPECT_EQ(response_name("OQSmuquc02req_req_req.xml"), "OQSmuquc02res_req_req.xml");
}

}  // namespace
}  // namespace onshi::terminal
