#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/usb/setup_packet.hpp"
#include "onshi/usb/tcp_stream.hpp"
#include "onshi/usb/usbip_protocol.hpp"

namespace onshi::usb::usbip {
namespace {

TEST(UsbipProtocol, OpHeaderIsBigEndian) {
  EXPECT_EQ(to_hex(OpHeader{version, op_req_devlist, 0}.encode()), "0111800500000000");
  const OpHeader h = OpHeader::parse(from_hex("0111000300000001"));
  EXPECT_EQ(h.code, op_rep_import);
  EXPECT_EQ(h.status, 1u);
  EXPECT_THROW(OpHeader::parse(from_hex("0111")), Error);
}

TEST(UsbipProtocol, DeviceRecordLayoutMatchesTheKernelStruct) {
  DeviceDescriptor d;
  d.vendor_id = 0x08E6;
  d.product_id = 0x4433;
  d.bcd_device = 0x0100;
  ConfigurationDescriptor c;
  InterfaceDescriptor i;
  i.interface_class = 0x0B;
  c.interfaces.push_back(i);
  const DeviceRecord r = DeviceRecord::describe(d, c, "1-1", 1, 2);
  const Bytes with = r.encode(true);
  ASSERT_EQ(with.size(), device_record_size + 4);
  EXPECT_EQ(r.encode(false).size(), 0x138u);
  EXPECT_EQ(decode_fixed_string(ByteView(with).subspan(256, 32)), "1-1");
  EXPECT_EQ(to_hex(ByteView(with).subspan(288, 12)), "000000010000000200000002");  // busnum devnum speed=full
  EXPECT_EQ(to_hex(ByteView(with).subspan(300, 6)), "08E644330100");
  EXPECT_EQ(with[311], 1);     // bNumInterfaces
  EXPECT_EQ(with[312], 0x0B);  // interface class
  std::size_t consumed = 0;
  const DeviceRecord back = DeviceRecord::parse(with, true, consumed);
  EXPECT_EQ(consumed, with.size());
  EXPECT_EQ(back.busid, "1-1");
  EXPECT_EQ(back.devid(), 0x00010002u);
  EXPECT_EQ(back.interfaces.at(0).interface_class, 0x0B);
}

TEST(UsbipProtocol, SubmitHeaderRoundTripsWithLittleEndianSetup) {
  UrbHeader h;
  h.command = cmd_submit;
  h.seqnum = 5;
  h.devid = 0x00010002;
  h.direction = direction_in;
  h.ep = 0;
  h.transfer_buffer_length = 18;
  const Bytes setup = get_descriptor_request(descriptor_type::device, 0, 18).encode();
  std::copy(setup.begin(), setup.end(), h.setup.begin());
  const Bytes wire = h.encode();
  ASSERT_EQ(wire.size(), urb_header_size);
  EXPECT_EQ(to_hex(ByteView(wire).first(20)), "0000000100000005000100020000000100000000");
  EXPECT_EQ(to_hex(ByteView(wire).subspan(40, 8)), "8006000100001200");
  const UrbHeader back = UrbHeader::parse(wire);
  EXPECT_EQ(back.transfer_buffer_length, 18u);
  EXPECT_EQ(back.number_of_packets, 0xFFFFFFFFu);
  EXPECT_EQ(back.setup, h.setup);
}

TEST(UsbipProtocol, RetSubmitCarriesNegativeStatus) {
  UrbHeader submit;
  submit.command = cmd_submit;
  submit.seqnum = 9;
  submit.direction = direction_in;
  submit.ep = 2;
  const Bytes wire = make_ret_submit(submit, status_pipe, 0).encode();
  EXPECT_EQ(to_hex(ByteView(wire).subspan(20, 4)), "FFFFFFE0");
  const UrbHeader back = UrbHeader::parse(wire);
  EXPECT_EQ(back.command, ret_submit);
  EXPECT_EQ(back.status, -32);
  EXPECT_EQ(back.seqnum, 9u);
}

TEST(UsbipProtocol, MalformedUrbHeadersAreNamed) {
  Bytes wire(48, 0);
  wire[3] = 9;
  try {
    UrbHeader::parse(wire);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input);
    EXPECT_NE(e.message().find("command"), std::string::npos);
  }
  wire[3] = 1;
  wire[15] = 2;  // direction 2
  EXPECT_THROW(UrbHeader::parse(wire), Error);
  EXPECT_THROW(UrbHeader::parse(Bytes(47, 0)), Error);
  EXPECT_THROW(encode_busid(std::string(32, 'x')), Error);
}

TEST(HostPortText, ParsesAndRejects) {
  EXPECT_EQ(parse_host_port("127.0.0.1:3240").port, 3240);
  EXPECT_EQ(parse_host_port("lab", 3240).port, 3240);
  EXPECT_EQ(parse_host_port("[::1]:9").host, "::1");
  EXPECT_THROW(parse_host_port("host:99999"), Error);
  EXPECT_THROW(parse_host_port("host:x1"), Error);
  EXPECT_THROW(parse_host_port(":3240"), Error);
  EXPECT_THROW(parse_host_port("host:"), Error);
}

}  // namespace
}  // namespace onshi::usb::usbip
