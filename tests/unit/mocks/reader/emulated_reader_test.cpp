#include <gtest/gtest.h>

#include "onshi/testing/echo_icc.hpp"
#include "onshi/ccid/message.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;
using ccid::CommandStatus;
using ccid::IccStatus;
using ccid::Message;

class EmulatedReaderTest : public ::testing::Test {
 protected:
  Message send(const Message& command) {
    reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, command.encode());
    auto frame = reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s);
    if (!frame) throw std::runtime_error("no response");
    return Message::parse(*frame);
  }
  EmulatedCcidReader reader;
  std::shared_ptr<onshi::testing::EchoIcc> card = std::make_shared<onshi::testing::EchoIcc>();
};

TEST_F(EmulatedReaderTest, PowerOnWithoutCardIsIccMute) {
  const Message r = send(ccid::icc_power_on(0, 1));
  EXPECT_EQ(r.message_type(), ccid::MessageType::data_block);
  EXPECT_EQ(r.seq, 1);
  EXPECT_EQ(ccid::icc_status(r.b_status()), IccStatus::absent);
  EXPECT_EQ(ccid::command_status(r.b_status()), CommandStatus::failed);
  EXPECT_EQ(r.b_error(), ccid::slot_error::icc_mute);
}

TEST_F(EmulatedReaderTest, PowerOnReturnsAtrAndActivates) {
  reader.insert_card(card);
  EXPECT_EQ(ccid::icc_status(send(ccid::get_slot_status(0, 1)).b_status()), IccStatus::present_inactive);
  const Message r = send(ccid::icc_power_on(0, 2));
  EXPECT_EQ(r.b_status(), 0x00);
  EXPECT_EQ(r.data, card->atr);
  EXPECT_EQ(ccid::icc_status(send(ccid::get_slot_status(0, 3)).b_status()), IccStatus::present_active);
  const Message off = send(ccid::icc_power_off(0, 4));
  EXPECT_EQ(off.message_type(), ccid::MessageType::slot_status);
  EXPECT_EQ(ccid::icc_status(off.b_status()), IccStatus::present_inactive);
  EXPECT_EQ(card->power_offs, 1);
}

TEST_F(EmulatedReaderTest, XfrBlockBeforePowerOnFails) {
  reader.insert_card(card);
  const Message r = send(ccid::xfr_block(0, 9, from_hex("00A40000")));
  EXPECT_EQ(ccid::command_status(r.b_status()), CommandStatus::failed);
  EXPECT_EQ(r.b_error(), ccid::slot_error::icc_mute);
}

TEST_F(EmulatedReaderTest, XfrBlockCarriesTheApdu) {
  reader.insert_card(card);
  send(ccid::icc_power_on(0, 1));
  const Message r = send(ccid::xfr_block(0, 2, from_hex("00B0000004")));
  EXPECT_EQ(r.data, from_hex("00B00000049000"));
}

TEST_F(EmulatedReaderTest, BadSlotNamesOffsetFive) {
  const Message r = send(ccid::get_slot_status(1, 1));
  EXPECT_EQ(ccid::command_status(r.b_status()), CommandStatus::failed);
  EXPECT_EQ(r.b_error(), ccid::slot_error::bad_slot);
}

TEST_F(EmulatedReaderTest, UnknownCommandIsNotSupported) {
  Message escape;
  escape.type = static_cast<std::uint8_t>(ccid::MessageType::escape);
  escape.seq = 5;
  const Message r = send(escape);
  EXPECT_EQ(r.message_type(), ccid::MessageType::escape_response);
  EXPECT_EQ(r.b_error(), ccid::slot_error::command_not_supported);
}

TEST_F(EmulatedReaderTest, OversizedDwLengthIsRefusedAndReaderKeepsWorking) {
  Bytes frame = ccid::xfr_block(0, 1, from_hex("00")).encode();
  frame[1] = 0xFF;
  frame[2] = 0xFF;  // dwLength 65535+: beyond dwMaxCCIDMessageLength
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, frame);
  const Message r = Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s));
  EXPECT_EQ(r.b_error(), ccid::slot_error::bad_length);
  EXPECT_EQ(send(ccid::get_slot_status(0, 2)).seq, 2);
}

TEST_F(EmulatedReaderTest, MessageSplitOverTransfersIsReassembled) {
  reader.insert_card(card);
  const Bytes frame = ccid::get_slot_status(0, 7).encode();
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ByteView(frame).first(4));
  EXPECT_FALSE(reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 64, 10ms));
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ByteView(frame).subspan(4));
  EXPECT_EQ(Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 64, 1s)).seq, 7);
}

TEST_F(EmulatedReaderTest, LongResponseSplitsAcrossBulkTransfers) {
  reader.insert_card(card);
  send(ccid::icc_power_on(0, 1));
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::xfr_block(0, 2, Bytes(100, 0x11)).encode());
  const Bytes first = *reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 64, 1s);
  const Bytes second = *reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 64, 1s);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(first.size() + second.size(), 10u + 102u);
}

TEST_F(EmulatedReaderTest, InsertAndRemoveNotifyOnInterruptIn) {
  reader.insert_card(card);
  EXPECT_EQ(to_hex(*reader.interrupt_in(EmulatedCcidReader::interrupt_in_endpoint, 8, 1s)), "5003");
  reader.remove_card();
  EXPECT_EQ(to_hex(*reader.interrupt_in(EmulatedCcidReader::interrupt_in_endpoint, 8, 1s)), "5002");
  EXPECT_FALSE(reader.interrupt_in(EmulatedCcidReader::interrupt_in_endpoint, 8, 10ms));
}

TEST_F(EmulatedReaderTest, UnplugEndsWaitsAndFailsTransfers) {
  reader.unplug();
  EXPECT_FALSE(reader.attached());
  EXPECT_FALSE(reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 64, 1s));
  EXPECT_THROW(reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::get_slot_status(0, 1).encode()), Error);
}

}  // namespace
}  // namespace onshi::mocks::reader
