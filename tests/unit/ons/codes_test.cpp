#include "onshi/ons/codes.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "onshi/ons/wire_profile.hpp"

namespace onshi::ons {
namespace {

// Every table: codes unique, each code maps back to its value, labels present.
template <class E>
void expect_table_consistent() {
  std::set<std::string_view> codes;
  for (const auto& e : CodeTable<E>::entries) {
    EXPECT_TRUE(codes.insert(e.code).second) << CodeTable<E>::name << " duplicate " << e.code;
    EXPECT_EQ(from_code<E>(e.code), e.value) << CodeTable<E>::name << " " << e.code;
    EXPECT_EQ(to_code(e.value), e.code);
    EXPECT_FALSE(label(e.value).empty());
  }
  EXPECT_FALSE(from_code<E>("").has_value());
  EXPECT_FALSE(from_code<E>("x").has_value());
}

TEST(OnsCodes, TablesAreConsistent) {
  expect_table_consistent<ReferenceClassification>();
  expect_table_consistent<SegmentOfResult>();
  expect_table_consistent<ProcessingResultStatus>();
  expect_table_consistent<QualificationValidity>();
  expect_table_consistent<InsuredCardClassification>();
  expect_table_consistent<PersonalFamilyClassification>();
  expect_table_consistent<Sex>();
  expect_table_consistent<ReasonOfLoss>();
  expect_table_consistent<PreschoolClassification>();
  expect_table_consistent<LimitApplicationCertificateClassification>();
  expect_table_consistent<ClassificationFlag>();
  expect_table_consistent<ConsentFlag>();
  expect_table_consistent<SpecificDiseasesConsent>();
  expect_table_consistent<CharacterCodeIdentifier>();
  expect_table_consistent<ProfileError>();
}

TEST(OnsCodes, MatchDomainTables) {
  // docs/domain/ons-messages.md values, spelled out so a table edit is a visible test change.
  EXPECT_EQ(to_code(SegmentOfResult::abnormal_end), "9");
  EXPECT_EQ(label(QualificationValidity::no_qualification), "該当資格なし");
  EXPECT_EQ(to_code(QualificationValidity::multiple), "5");
  EXPECT_EQ(to_code(InsuredCardClassification::self_defense_forces), "07");
  EXPECT_EQ(to_code(ReasonOfLoss::other), "99");
  EXPECT_EQ(label(ClassificationFlag::a03), "ウ");
  EXPECT_EQ(to_code(ClassificationFlag::b10), "B10");
  EXPECT_EQ(label(LimitApplicationCertificateClassification::limit_and_reduction), "限度額適用・標準負担額減額認定証");
  EXPECT_EQ(to_code(CharacterCodeIdentifier::shift_jis), "1");
  EXPECT_EQ(to_code(Sex::unset), "3");
  EXPECT_EQ(CodeTable<ClassificationFlag>::entries.size(), 16u);
}

}  // namespace
}  // namespace onshi::ons
