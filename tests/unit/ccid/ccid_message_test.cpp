#include <gtest/gtest.h>

#include "onshi/ccid/message.hpp"
#include "onshi/core/error.hpp"

namespace onshi::ccid {
namespace {

TEST(CcidMessage, XfrBlockEncodesHeaderLittleEndian) {
  const Bytes apdu = from_hex("00A4040C0AD392F000260100000001");
  const Bytes frame = xfr_block(0, 7, apdu, chain::whole, 4).encode();
  EXPECT_EQ(to_hex(ByteView(frame).first(10)), "6F0F00000000070400" "00");
  EXPECT_EQ(frame.size(), 10 + apdu.size());
}

TEST(CcidMessage, RoundTripsEveryField) {
  const Message m = data_block(0, 0xFE, make_status(IccStatus::present_active, CommandStatus::ok), 0,
                               from_hex("3BE000FF8131FE4514"), chain::ends);
  const Message back = Message::parse(m.encode());
  EXPECT_EQ(back.type, 0x80);
  EXPECT_EQ(back.seq, 0xFE);
  EXPECT_EQ(back.b_chain_parameter(), chain::ends);
  EXPECT_EQ(back.data, m.data);
}

TEST(CcidMessage, RejectsShortHeader) {
  try {
    Message::parse(from_hex("6F000000"));
    FAIL() << "parsed a 4-byte frame";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input);
    EXPECT_NE(std::string(e.what()).find("shorter than the 10-byte header"), std::string::npos);
  }
}

TEST(CcidMessage, RejectsLengthMismatchNamingTheMessage) {
  Bytes frame = xfr_block(0, 3, from_hex("00B0000000")).encode();
  frame.pop_back();
  try {
    Message::parse(frame);
    FAIL() << "parsed a truncated frame";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input);
    EXPECT_NE(e.context().find("PC_to_RDR_XfrBlock seq 3"), std::string::npos) << e.what();
  }
}

TEST(CcidMessage, RejectsLengthAboveReaderMaximum) {
  const Bytes frame = xfr_block(0, 0, Bytes(300, 0)).encode();
  EXPECT_THROW(Message::parse(frame, 271), Error);
  EXPECT_NO_THROW(Message::parse(frame, 310));
}

TEST(CcidMessage, NotifySlotChangePacksTwoBitsPerSlot) {
  EXPECT_EQ(to_hex(notify_slot_change({true, false, false, false}, {true, false, false, false})), "5003");
  EXPECT_EQ(to_hex(notify_slot_change({false, false, false, false}, {true, false, false, false})), "5002");
  EXPECT_EQ(to_hex(notify_slot_change({true, true, false, false}, {false, true, false, false}, 2)), "500D");
}

TEST(CcidStatus, DecodesStatusAndError) {
  const std::uint8_t failed_absent = make_status(IccStatus::absent, CommandStatus::failed);
  EXPECT_EQ(failed_absent, 0x42);
  EXPECT_EQ(icc_status(failed_absent), IccStatus::absent);
  EXPECT_EQ(command_status(failed_absent), CommandStatus::failed);
  EXPECT_NE(describe_status(failed_absent, slot_error::icc_mute).find("ICC_MUTE"), std::string::npos);
  EXPECT_NE(describe_slot_error(5).find("offset 5"), std::string::npos);
}

}  // namespace
}  // namespace onshi::ccid
