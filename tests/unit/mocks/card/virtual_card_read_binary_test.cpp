// READ BINARY on the virtual card: offsets, Le=00, end of file, SFI addressing, protected EFs.
#include "onshi/jpki/token_info.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

class VirtualCardReadBinaryTest : public VirtualCardTest {
 protected:
  void SetUp() override {
    VirtualCardTest::SetUp();
    cert_ = shared_test_identity().auth_cert.to_der();
    ASSERT_GT(cert_.size(), 512u) << "tests below assume a certificate over two 256-byte chunks";
    ASSERT_LT(cert_.size(), 0x8000u);
  }

  Bytes cert_slice(std::size_t offset, std::size_t count) const {
    return Bytes(cert_.begin() + static_cast<std::ptrdiff_t>(offset),
                 cert_.begin() + static_cast<std::ptrdiff_t>(offset + count));
  }

  static std::string read_at(std::size_t offset, std::string_view le_hex) {
    Bytes header{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset)};
    return to_hex(header) + std::string(le_hex);
  }

  Bytes cert_;
};

TEST_F(VirtualCardReadBinaryTest, ReadsTheCertificateHeaderAtOffsetZero) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto r = send("00 B0 00 00 07");
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, cert_slice(0, 7));
  EXPECT_EQ(r.data[0], 0x30);
}

TEST_F(VirtualCardReadBinaryTest, LeOf00Returns256Bytes) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto r = send("00 B0 00 00 00");
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, cert_slice(0, 256));
}

TEST_F(VirtualCardReadBinaryTest, OffsetSpansP1AndP2) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto r = send(read_at(0x0102, "10"));
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, cert_slice(0x0102, 0x10));
}

TEST_F(VirtualCardReadBinaryTest, ChunkedReadsReassembleTheDerByteForByte) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  Bytes assembled;
  for (;;) {
    const auto r = send(read_at(assembled.size(), "00"));
    append(assembled, r.data);
    if (r.sw == 0x6282) break;
    ASSERT_EQ(r.sw, 0x9000);
    if (assembled.size() == cert_.size()) break;
  }
  EXPECT_EQ(assembled, cert_);
}

TEST_F(VirtualCardReadBinaryTest, ReadingPastTheEndReturnsWhatThereIsWith6282) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const std::size_t offset = cert_.size() - 5;
  const auto r = send(read_at(offset, "00"));
  EXPECT_EQ(r.sw, 0x6282);
  EXPECT_EQ(r.data, cert_slice(offset, 5));
}

TEST_F(VirtualCardReadBinaryTest, ExactReadOfTheLastBytesIs9000) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto r = send(read_at(cert_.size() - 5, "05"));
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data.size(), 5u);
}

TEST_F(VirtualCardReadBinaryTest, OffsetAtOrPastTheEndIsWrongOffset) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  EXPECT_EQ(sw(read_at(cert_.size(), "01")), 0x6B00);
  EXPECT_EQ(sw(read_at(cert_.size() + 100, "00")), 0x6B00);
  EXPECT_EQ(sw("00 B0 7F FF 01"), 0x6B00);
}

TEST_F(VirtualCardReadBinaryTest, ExtendedLeReadsTheWholeFileAtOnce) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto r = send("00 B0 00 00 00 00 00");  // extended Le 0000 = 65536
  EXPECT_EQ(r.sw, 0x6282);
  EXPECT_EQ(r.data, cert_);
}

TEST_F(VirtualCardReadBinaryTest, WithoutCurrentEfIsCommandNotAllowed) {
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6986);
  enter_jpki();
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6986);
}

TEST_F(VirtualCardReadBinaryTest, PinAndKeyEfsAreNeverReadable) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_pin), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6982);
  ASSERT_EQ(sw(verify_right), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6982) << "not even after VERIFY";
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6982);
}

TEST_F(VirtualCardReadBinaryTest, DataFieldOrMissingLeIsWrongLength) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00"), 0x6700);
  EXPECT_EQ(sw("00 B0 00 00 01 00"), 0x6700);
  EXPECT_EQ(sw("00 B0 00 00 01 00 00"), 0x6700);
}

TEST_F(VirtualCardReadBinaryTest, ShortFileIdentifierReadsAndSelectsTheEf) {
  enter_jpki();
  const auto r = send("00 B0 8A 00 00");  // SFI 0A = EF 000A
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, cert_slice(0, 256));
  const auto next = send("00 B0 01 00 04");  // now current: plain offsets continue in 000A
  EXPECT_EQ(next.data, cert_slice(256, 4));
}

TEST_F(VirtualCardReadBinaryTest, ShortFileIdentifierTakesTheOffsetFromP2) {
  enter_jpki();
  const auto r = send("00 B0 8B 10 08");  // SFI 0B = EF 000B, offset 0x10
  EXPECT_EQ(r.sw, 0x9000);
  const Bytes ca = shared_test_identity().ca_cert.to_der();
  EXPECT_EQ(r.data, Bytes(ca.begin() + 0x10, ca.begin() + 0x18));
}

TEST_F(VirtualCardReadBinaryTest, ShortFileIdentifierErrors) {
  EXPECT_EQ(sw("00 B0 8A 00 00"), 0x6A82) << "no application selected";
  enter_jpki();
  EXPECT_EQ(sw("00 B0 9E 00 00"), 0x6A82) << "no EF with SFI 1E";
  EXPECT_EQ(sw("00 B0 80 00 00"), 0x6A82) << "SFI 0 names no EF";
  EXPECT_EQ(sw("00 B0 CA 00 00"), 0x6A86) << "P1 bits 7-6 must be 00 with an SFI";
  EXPECT_EQ(sw("00 B0 97 00 00"), 0x6982) << "SFI 17 is the auth key";
}

TEST_F(VirtualCardReadBinaryTest, TokenInfoCarriesTheMyNumberCardLabel) {
  enter_jpki();
  ASSERT_EQ(sw(select_token_info), 0x9000);
  const auto r = send("00 B0 00 00 00");
  EXPECT_EQ(r.sw, 0x6282);
  ASSERT_EQ(r.data.size(), 160u);
  EXPECT_EQ(to_string(ByteView(r.data).first(32)), "JPKIAPICCTOKEN2                 ");
  EXPECT_EQ(jpki::parse_token_label(r.data), "JPKIAPICCTOKEN2");
}

TEST_F(VirtualCardReadBinaryTest, CertificatePresenceEf) {
  enter_jpki();
  ASSERT_EQ(sw("00 A4 02 0C 02 00 08"), 0x9000);
  const auto r = send("00 B0 00 00 03");
  EXPECT_EQ(r.sw, 0x9000);
  EXPECT_EQ(r.data, from_hex("8F 8F 00"));
}

TEST_F(VirtualCardReadBinaryTest, CaCertificateIsReadableWithoutPin) {
  enter_jpki();
  ASSERT_EQ(sw(select_auth_ca), 0x9000);
  const auto r = send("00 B0 00 00 00 FF FF");
  EXPECT_EQ(r.data, shared_test_identity().ca_cert.to_der());
}

}  // namespace
}  // namespace onshi::testing
