// The emulated reader beyond the basics: extended-APDU chaining both ways, time extensions,
// a card pulled mid-exchange, the two-part Abort, Set/GetParameters, identities as data and
// the standard requests a host sends while enumerating — each through the host driver where
// the host side matters.
#include <gtest/gtest.h>

#include "onshi/testing/echo_icc.hpp"
#include "onshi/testing/sized_answer_icc.hpp"
#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/usb/in_process_transport.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;
using ccid::CommandStatus;
using ccid::IccStatus;
using ccid::Message;

ReaderIdentity extended_identity(unsigned time_extensions = 0) {
  ReaderIdentity id;
  id.class_descriptor.features =
      (id.class_descriptor.features & ~ccid::feature::exchange_level_mask) | ccid::feature::exchange_extended_apdu;
  id.class_descriptor.max_ccid_message_length = 271;
  id.time_extensions_per_exchange = time_extensions;
  return id;
}

struct Bench {
  explicit Bench(ReaderIdentity id) : device(std::make_shared<EmulatedCcidReader>(std::move(id))), transport(device) {
    device->insert_card(card);
  }
  std::shared_ptr<EmulatedCcidReader> device;
  usb::InProcessTransport transport;
  std::shared_ptr<onshi::testing::SizedAnswerIcc> card = std::make_shared<onshi::testing::SizedAnswerIcc>();
};

TEST(EmulatedReaderChaining, LongCommandAndResponseAreChainedAtExtendedLevel) {
  Bench b(extended_identity());
  ccid::HostDriver driver(b.transport);
  ASSERT_EQ(driver.class_descriptor().exchange_level(), ccid::feature::exchange_extended_apdu);
  driver.power_on();
  const Bytes apdu = onshi::testing::extended_apdu(1000, 3000);
  const std::uint64_t before = driver.messages_sent();
  const Bytes response = driver.transmit_raw(apdu);
  EXPECT_EQ(b.card->last_command, apdu);  // reassembled exactly from 4 command blocks
  ASSERT_EQ(response.size(), 3002u);
  EXPECT_EQ(response[2999], static_cast<std::uint8_t>(2999));
  EXPECT_EQ(response[3000], 0x90);
  // 1009 bytes in 261-byte blocks = 4 blocks; 3002 bytes back = 12 parts (11 asked for).
  EXPECT_EQ(driver.messages_sent() - before, 4u + 11u);
}

TEST(EmulatedReaderChaining, ShortLevelRefusesChainedBlocksNamingTheField) {
  EmulatedCcidReader reader;
  auto card = std::make_shared<onshi::testing::EchoIcc>();
  reader.insert_card(card);
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::icc_power_on(0, 1).encode());
  reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s);
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::xfr_block(0, 2, from_hex("00A4"), ccid::chain::begins).encode());
  const Message r = Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s));
  EXPECT_EQ(ccid::command_status(r.b_status()), CommandStatus::failed);
  EXPECT_EQ(r.b_error(), ccid::slot_error::bad_level_parameter);
}

TEST(EmulatedReaderChaining, HostDriverRefusesOverlongApduAtShortLevel) {
  Bench b(ReaderIdentity{});
  ccid::HostDriver driver(b.transport);
  driver.power_on();
  EXPECT_THROW(driver.transmit_raw(onshi::testing::extended_apdu(300, 2)), Error);
  EXPECT_EQ(driver.transmit_raw(onshi::testing::extended_apdu(10, 2)).size(), 4u);  // still works after
}

TEST(EmulatedReaderChaining, ShortLevelResponseBeyondOneMessageIsAnOverrun) {
  Bench b(ReaderIdentity{});
  ccid::HostDriver driver(b.transport);
  driver.power_on();
  try {
    driver.transmit_raw(onshi::testing::extended_apdu(4, 1000));  // asks the card for 1000 bytes back
    FAIL() << "expected XFR_OVERRUN";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(e.message().find("OVERRUN"), std::string::npos) << e.message();
  }
}

TEST(EmulatedReaderTimeExtension, HostWaitsThroughTimeExtensions) {
  Bench b(extended_identity(3));
  ccid::HostDriver driver(b.transport);
  driver.power_on();
  EXPECT_EQ(driver.transmit_raw(onshi::testing::extended_apdu(4, 1)), from_hex("009000"));
}

TEST(EmulatedReaderTimeExtension, EndlessExtensionsAreBoundedByTheHost) {
  Bench b(extended_identity(5));
  ccid::HostDriverOptions options;
  options.max_time_extensions = 2;
  ccid::HostDriver driver(b.transport, options);
  driver.power_on();
  try {
    driver.transmit_raw(onshi::testing::extended_apdu(4, 1));
    FAIL() << "expected a timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
  }
}

TEST(EmulatedReaderCardPull, PulledMidExchangeIsIccAbsentMuteAndNotified) {
  Bench b(extended_identity(1));
  ccid::HostDriver driver(b.transport);
  while (driver.wait_for_slot_change(0ms)) {
  }
  driver.power_on();
  b.device->pull_card_during_next_exchange();
  try {
    driver.transmit_raw(onshi::testing::extended_apdu(4, 1));
    FAIL() << "expected the exchange to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(e.message().find("ICC_MUTE"), std::string::npos) << e.message();
  }
  EXPECT_EQ(driver.slot_status().icc, IccStatus::absent);
  const auto change = driver.wait_for_slot_change(1s);
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->present);
  EXPECT_TRUE(change->changed);
}

TEST(EmulatedReaderAbort, ClassAbortThenBulkAbortCompletes) {
  Bench b(ReaderIdentity{});
  ccid::HostDriver driver(b.transport);
  driver.power_on();
  driver.abort();
  EXPECT_EQ(driver.transmit_raw(onshi::testing::extended_apdu(2, 1)), from_hex("009000"));  // usable again
}

TEST(EmulatedReaderAbort, CommandsBetweenTheTwoHalvesAreAborted) {
  EmulatedCcidReader reader;
  reader.insert_card(std::make_shared<onshi::testing::EchoIcc>());
  usb::SetupPacket setup{0x21, ccid::request::abort, static_cast<std::uint16_t>(7 << 8), 0, 0};
  reader.control_out(setup, {});
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::get_slot_status(0, 6).encode());
  Message r = Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s));
  EXPECT_EQ(r.b_error(), ccid::slot_error::aborted);
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, ccid::abort_command(0, 7).encode());
  r = Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s));
  EXPECT_EQ(r.message_type(), ccid::MessageType::slot_status);
  EXPECT_EQ(ccid::command_status(r.b_status()), CommandStatus::ok);
}

Message roundtrip(EmulatedCcidReader& reader, const Message& m) {
  reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, m.encode());
  return Message::parse(*reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 4096, 1s));
}

TEST(EmulatedReaderParameters, SetParametersIsStoredAndValidated) {
  EmulatedCcidReader reader;
  reader.insert_card(std::make_shared<onshi::testing::EchoIcc>());
  Message set;
  set.type = static_cast<std::uint8_t>(ccid::MessageType::set_parameters);
  set.seq = 1;
  set.specific = {1, 0, 0};
  set.data = from_hex("1310004500200000");  // 8 bytes: wrong length for T=1
  set.data.pop_back();                      // now 7: Fi/Di 13, IFSC 0x20
  Message r = roundtrip(reader, set);
  ASSERT_EQ(ccid::command_status(r.b_status()), CommandStatus::ok);
  EXPECT_EQ(r.data, from_hex("13100045002000"));
  r = roundtrip(reader, ccid::get_parameters(0, 2));
  EXPECT_EQ(r.data, from_hex("13100045002000"));
  EXPECT_EQ(r.specific[2], 1);  // bProtocolNum T=1
  set.seq = 3;
  set.data = from_hex("1310");
  EXPECT_EQ(roundtrip(reader, set).b_error(), ccid::slot_error::bad_length);
  set.seq = 4;
  set.specific = {0, 0, 0};
  set.data = from_hex("1100000A00");
  EXPECT_EQ(roundtrip(reader, set).b_error(), 7);  // T=0 refused: offset of bProtocolNum
}

TEST(EmulatedReaderEnumeration, AnswersTheStandardRequestsOfEnumeration) {
  EmulatedCcidReader reader;
  const usb::DeviceDescriptor d = usb::DeviceDescriptor::parse(
      reader.control_in(usb::get_descriptor_request(usb::descriptor_type::device, 0, 18)));
  EXPECT_EQ(d.vendor_id, 0x08E6);
  EXPECT_EQ(usb::decode_string_descriptor(
                reader.control_in(usb::get_descriptor_request(usb::descriptor_type::string, d.serial_number_index, 255, 0x0409))),
            "ONSHI-0001");
  reader.control_out(usb::SetupPacket{0x00, usb::standard_request::set_configuration, 1, 0, 0}, {});
  EXPECT_EQ(reader.control_in(usb::SetupPacket{0x80, usb::standard_request::get_configuration, 0, 0, 1}), Bytes{1});
  EXPECT_EQ(reader.control_in(usb::SetupPacket{0x80, usb::standard_request::get_status, 0, 0, 2}), (Bytes{0, 0}));
  // A full-speed device has no device qualifier: it stalls, as the USB spec requires.
  EXPECT_THROW(reader.control_in(usb::get_descriptor_request(usb::descriptor_type::device_qualifier, 0, 10)), Error);
  const Bytes clock = reader.control_in(usb::SetupPacket{0xA1, ccid::request::get_clock_frequencies, 0, 0, 4});
  EXPECT_EQ(load_le32(clock, 0), 4000u);
}

TEST(ReaderIdentityFile, ShippedIdentitiesLoad) {
  const ReaderIdentity generic = reader_identity_by_name("generic-ccid");
  EXPECT_EQ(generic.product_id, 0x4433);
  const ReaderIdentity ext = load_reader_identity(readers_dir() / "extended-slow.toml");
  EXPECT_EQ(ext.vendor_id, 0x1209);
  EXPECT_EQ(ext.class_descriptor.exchange_level(), ccid::feature::exchange_extended_apdu);
  EXPECT_EQ(ext.time_extensions_per_exchange, 2u);
  EmulatedCcidReader reader(ext);
  const auto config = reader.configuration_descriptor();
  EXPECT_EQ(ccid::ClassDescriptor::parse(config.interfaces.at(0).class_specific).features, ext.class_descriptor.features);
}

TEST(ReaderIdentityFile, BadValuesAreNamedByLineAndKey) {
  try {
    parse_reader_identity("name = \"x\"\n[usb]\nvendor_id = 70000\n", "bad.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(std::string(e.what()).find("bad.toml:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("vendor_id"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_reader_identity("name = \"x\"\n[usb]\n[ccid]\nfeatures = 0x10000\n", "tpdu.toml"), Error);
  EXPECT_THROW(parse_reader_identity("name = \"x\"\n[usb]\nvendorid = 1\n", "typo.toml"), Error);
  EXPECT_THROW(reader_identity_by_name("../etc/passwd"), Error);
  EXPECT_THROW(reader_identity_by_name("no-such-reader"), Error);
}

// An identity file is refused when the host driver would refuse the reader it describes: an
// extended-level limit below 261 + 10 bytes (it used to accept 64, which no host then drove).
// Every limit the parser accepts at the extended level, the driver drives.
TEST(ReaderIdentityFile, ExtendedLevelBelowAShortApduIsRefusedAsTheDriverRefusesIt) {
  const auto extended_with = [](unsigned limit) {
    return "name = \"x\"\n[usb]\n[ccid]\nfeatures = 0x000404FE\nmax_ccid_message_length = " +
           std::to_string(limit) + "\n";
  };
  for (const unsigned limit : {64u, 270u}) {
    try {
      parse_reader_identity(extended_with(limit), "small.toml");
      FAIL() << limit << " accepted at the extended level";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config);
      const std::string what = e.what();
      EXPECT_NE(what.find("small.toml:5"), std::string::npos) << what;
      EXPECT_NE(what.find("max_ccid_message_length"), std::string::npos) << what;
      EXPECT_NE(what.find("271..65554"), std::string::npos) << what;
    }
  }
  Bench b(parse_reader_identity(extended_with(271), "smallest.toml"));
  ccid::HostDriver driver(b.transport);
  EXPECT_FALSE(driver.power_on().empty());
}

}  // namespace
}  // namespace onshi::mocks::reader
