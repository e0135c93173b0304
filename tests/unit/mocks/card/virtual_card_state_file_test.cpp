// A virtual card's PIN counters kept in a state file (mocks/card card_state_file.hpp): a card
// made again from the file has the tries the last one left, a kill after a 63Cx cannot give a
// try back (the file is written before the answer), and a damaged file is refused, naming the
// file and the entry, never replaced by a fresh counter.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "onshi/core/error.hpp"
#include "onshi/mocks/card/card_state_file.hpp"
#include "onshi/testing/error_of.hpp"
#include "onshi/testing/files.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

namespace fs = std::filesystem;
using mocks::card::CardStateFile;

class VirtualCardStateFileTest : public VirtualCardTest {
 protected:
  void SetUp() override {
    VirtualCardTest::SetUp();
    dir_ = fs::temp_directory_path() / ("onshi-card-state-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = dir_ / "P001.json";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A new card (a new process, as far as the card knows) reading the same state file.
  std::unique_ptr<mocks::card::VirtualMyNumberCard> card_from_file() {
    auto card = make_card();
    card->keep_state_in(CardStateFile(file_));
    return card;
  }
  void select_pin_on(iso7816::Icc& card) {
    ASSERT_EQ(send_to(card, select_jpki).sw, 0x9000);
    ASSERT_EQ(send_to(card, select_auth_pin).sw, 0x9000);
  }

  fs::path dir_;
  fs::path file_;
};

TEST_F(VirtualCardStateFileTest, TriesLeftOutliveTheCardThatSpentThem) {
  {
    auto first = card_from_file();
    select_pin_on(*first);
    EXPECT_EQ(send_to(*first, verify_wrong).sw, 0x63C2);
    // The counter is on disk before the 63C2 came back: dropping the card here is a SIGKILL.
  }
  auto second = card_from_file();
  select_pin_on(*second);
  EXPECT_EQ(send_to(*second, verify_query).sw, 0x63C2) << "the killed run's try was given back";
  EXPECT_EQ(send_to(*second, verify_wrong).sw, 0x63C1);
  auto third = card_from_file();
  select_pin_on(*third);
  EXPECT_EQ(send_to(*third, verify_wrong).sw, 0x63C0);
  auto fourth = card_from_file();
  select_pin_on(*fourth);
  EXPECT_EQ(send_to(*fourth, verify_right).sw, 0x6984) << "a card blocked in another run stays blocked";
}

TEST_F(VirtualCardStateFileTest, TheRightPinRestoresTheCounterInTheFileToo) {
  {
    auto first = card_from_file();
    select_pin_on(*first);
    ASSERT_EQ(send_to(*first, verify_wrong).sw, 0x63C2);
    ASSERT_EQ(send_to(*first, verify_right).sw, 0x9000);
  }
  auto second = card_from_file();
  select_pin_on(*second);
  EXPECT_EQ(send_to(*second, verify_query).sw, 0x63C3);
}

TEST_F(VirtualCardStateFileTest, TheFileHoldsCountersNeverAPin) {
  auto card = card_from_file();
  select_pin_on(*card);
  ASSERT_EQ(send_to(*card, verify_wrong).sw, 0x63C2);
  const std::string text = read_file(file_);
  EXPECT_NE(text.find("\"schema\": \"onshi-hil/card-state/1\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"tries_left\": 2"), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string(test_auth_pin)), std::string::npos) << "the PIN is in the state file";
  EXPECT_EQ(fs::status(file_).permissions() & fs::perms::others_read, fs::perms::none);
}

TEST_F(VirtualCardStateFileTest, ADamagedFileIsRefusedNamingItNotReset) {
  const auto refused_with = [&](const std::string& content, const std::string& expected) {
    std::ofstream(file_, std::ios::binary | std::ios::trunc) << content;
    const Error e = error_of([&] { card_from_file(); });
    EXPECT_EQ(e.code(), ErrorCode::malformed_input) << e.what();
    EXPECT_NE(std::string(e.what()).find(file_.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    EXPECT_EQ(read_file(file_), content) << "the damaged file was overwritten";
  };
  refused_with("{\"schema\": \"onshi-hil/card-state/1\", \"pins\": [", "not JSON");
  refused_with("{\"pins\": []}", "onshi-hil/card-state/1");
  refused_with("{\"schema\": \"onshi-hil/card-state/1\", \"pins\": [{\"aid\": \"D392F000260100000001\", "
               "\"fid\": \"0018\", \"tries_left\": 9}]}",
               "pins[0]");
  refused_with("{\"schema\": \"onshi-hil/card-state/1\", \"pins\": [{\"aid\": \"A0000000\", "
               "\"fid\": \"0018\", \"tries_left\": 1}]}",
               "no PIN EF 0018");
}

TEST_F(VirtualCardStateFileTest, AnUnwritablePlaceFailsWhenTheCardIsMadeNotAtTheFirstWrongPin) {
  file_ = dir_ / "missing-folder-is-made" / "P001.json";
  EXPECT_NO_THROW(card_from_file());
  EXPECT_TRUE(fs::exists(file_));
  std::ofstream(dir_ / "a-file") << "x";
  file_ = dir_ / "a-file" / "P001.json";
  EXPECT_EQ(error_of([&] { card_from_file(); }).code(), ErrorCode::io);
}

}  // namespace
}  // namespace onshi::testing
