// JpkiClient against the virtual My Number Card: the host operations and the card agree.
#include "onshi/testing/icc_apdu_channel.hpp"
#include "onshi/core/error.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/ber_object_size.hpp"
#include "onshi/jpki/jpki_client.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

using jpki::JpkiClient;
using jpki::PinVerification;
using mocks::card::Application;
using mocks::card::BinaryEf;
using mocks::card::CardFileSystem;
using mocks::card::CardProfile;
using mocks::card::VirtualMyNumberCard;

class JpkiClientOnVirtualCardTest : public VirtualCardTest {
 protected:
  void SetUp() override {
    VirtualCardTest::SetUp();
    connect();
  }

  void use_card(std::unique_ptr<VirtualMyNumberCard> card) {
    card_ = std::move(card);
    card_->power_on();
    connect();
  }

  // A fresh channel and client, with the JPKI AP selected as every session starts.
  void connect() {
    channel_ = std::make_unique<IccApduChannel>(*card_);
    client_ = std::make_unique<JpkiClient>(*channel_);
    client_->select_jpki_ap();
  }

  std::unique_ptr<IccApduChannel> channel_;
  std::unique_ptr<JpkiClient> client_;
};

const Bytes message = to_bytes("onshi walking skeleton");

TEST_F(JpkiClientOnVirtualCardTest, ReadsTheAuthCertificateByteForByte) {
  const crypto::Certificate cert = client_->read_auth_certificate();
  EXPECT_EQ(cert.to_der(), shared_test_identity().auth_cert.to_der());
  EXPECT_EQ(cert.subject(), shared_test_identity().auth_cert.subject());
}

TEST_F(JpkiClientOnVirtualCardTest, ReadsTheCertificateInFullChunks) {
  const std::size_t size = shared_test_identity().auth_cert.to_der().size();
  channel_->sent.clear();
  client_->read_auth_certificate();
  const std::size_t chunks = (size - jpki::ber_header_probe_size + 255) / 256;
  EXPECT_EQ(channel_->sent.size(), 1 + 1 + chunks) << "SELECT EF, header probe, then 256-byte chunks";
  EXPECT_EQ(channel_->sent[1], from_hex("00 B0 00 00 07"));
  EXPECT_EQ(channel_->sent[2], from_hex("00 B0 00 07 00"));
}

TEST_F(JpkiClientOnVirtualCardTest, ReadsTheCaCertificateThatIssuedTheAuthCertificate) {
  const crypto::Certificate ca = client_->read_auth_ca_certificate();
  EXPECT_EQ(ca.to_der(), shared_test_identity().ca_cert.to_der());
  EXPECT_TRUE(client_->read_auth_certificate().issued_by(ca));
}

TEST_F(JpkiClientOnVirtualCardTest, ReadsTheTokenLabel) { EXPECT_EQ(client_->read_token_label(), "JPKIAPICCTOKEN2"); }

TEST_F(JpkiClientOnVirtualCardTest, TriesLeftIsThreeThenUnknownOnceVerified) {
  EXPECT_EQ(client_->auth_pin_tries_left(), 3u);
  ASSERT_TRUE(client_->verify_auth_pin(test_auth_pin).verified());
  EXPECT_EQ(client_->auth_pin_tries_left(), std::nullopt);
}

TEST_F(JpkiClientOnVirtualCardTest, WrongPinIsAnOutcomeNotAnError) {
  const PinVerification result = client_->verify_auth_pin("9999");
  EXPECT_EQ(result.outcome, PinVerification::Outcome::wrong_pin);
  EXPECT_EQ(result.tries_left, 2u);
  EXPECT_EQ(result.status_word, 0x63C2);
  EXPECT_FALSE(result.locked());
  EXPECT_EQ(client_->auth_pin_tries_left(), 2u);
}

TEST_F(JpkiClientOnVirtualCardTest, ThirdWrongPinLocksThenBlocked) {
  client_->verify_auth_pin("0000");
  client_->verify_auth_pin("0000");
  const PinVerification third = client_->verify_auth_pin("0000");
  EXPECT_EQ(third.outcome, PinVerification::Outcome::wrong_pin);
  EXPECT_EQ(third.tries_left, 0u);
  EXPECT_TRUE(third.locked());
  const PinVerification fourth = client_->verify_auth_pin(test_auth_pin);
  EXPECT_EQ(fourth.outcome, PinVerification::Outcome::blocked);
  EXPECT_EQ(fourth.status_word, 0x6984);
  EXPECT_EQ(client_->auth_pin_tries_left(), 0u);
}

TEST_F(JpkiClientOnVirtualCardTest, IsoProfileBlockedIsRecognisedToo) {
  use_card(make_card(CardProfile::iso_blocked_status()));
  for (int i = 0; i < 3; ++i) client_->verify_auth_pin("0000");
  const PinVerification result = client_->verify_auth_pin(test_auth_pin);
  EXPECT_EQ(result.outcome, PinVerification::Outcome::blocked);
  EXPECT_EQ(result.status_word, 0x6983);
}

TEST_F(JpkiClientOnVirtualCardTest, MalformedPinIsRefusedBeforeReachingTheCard) {
  channel_->sent.clear();
  try {
    client_->verify_auth_pin("12a4");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(std::string(e.what()).find("12a4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("****"), std::string::npos) << e.what();
  }
  EXPECT_THROW(client_->verify_auth_pin("12345"), Error);
  EXPECT_TRUE(channel_->sent.empty());
  EXPECT_EQ(client_->auth_pin_tries_left(), 3u);
}

TEST_F(JpkiClientOnVirtualCardTest, SignatureVerifiesWithTheCertificateReadFromTheCard) {
  const crypto::Certificate cert = client_->read_auth_certificate();
  ASSERT_TRUE(client_->verify_auth_pin(test_auth_pin).verified());
  const Bytes signature = client_->sign_with_auth_key(crypto::sha256_digest_info(message));
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(cert.verify_sha256_pkcs1(message, signature));
}

TEST_F(JpkiClientOnVirtualCardTest, SignWithoutVerifyThrowsCardErrorNamingTheOperation) {
  try {
    client_->sign_with_auth_key(crypto::sha256_digest_info(message));
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::card);
    EXPECT_EQ(e.context(), "SIGN with EF 0017");
    EXPECT_EQ(e.message(), "6982 security status not satisfied");
  }
}

TEST_F(JpkiClientOnVirtualCardTest, ReselectingTheApDropsTheVerification) {
  ASSERT_TRUE(client_->verify_auth_pin(test_auth_pin).verified());
  client_->select_jpki_ap();
  EXPECT_THROW(client_->sign_with_auth_key(crypto::sha256_digest_info(message)), Error);
}

TEST_F(JpkiClientOnVirtualCardTest, MissingEfThrowsCardErrorNamingIt) {
  try {
    client_->read_der_file(0x000C);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::card);
    EXPECT_EQ(e.context(), "SELECT EF 000C");
    EXPECT_EQ(e.message(), "6A82 file or application not found");
  }
}

TEST_F(JpkiClientOnVirtualCardTest, OffsetsBeyond15BitsAreRefused) {
  client_->select_ef(jpki::ef::auth_certificate);
  EXPECT_THROW(client_->read_binary(0x8000, 1), Error);
  EXPECT_THROW(client_->read_binary(0, 0), Error);
  EXPECT_THROW(client_->read_binary(0, 257), Error);
}

// Files shaped for the reader logic, on a card built from a custom file system.
class JpkiClientFileShapesTest : public JpkiClientOnVirtualCardTest {
 protected:
  void with_file(Bytes contents) {
    CardFileSystem files;
    Application application{"test AP", Bytes(jpki::aid::jpki.begin(), jpki::aid::jpki.end()), {}};
    application.files.emplace(file_id, BinaryEf{std::move(contents), {}});
    files.applications.push_back(std::move(application));
    use_card(std::make_unique<VirtualMyNumberCard>(std::move(files)));
  }
  static constexpr jpki::FileId file_id = 0x0100;
};

TEST_F(JpkiClientFileShapesTest, ReadsAnObjectOfManyChunks) {
  Bytes object = from_hex("04 82 0B B4");  // OCTET STRING of 2996 bytes: 3000 in all
  for (std::size_t i = 0; i < 2996; ++i) object.push_back(static_cast<std::uint8_t>(i * 7));
  with_file(object);
  EXPECT_EQ(client_->read_der_file(file_id), object);
}

TEST_F(JpkiClientFileShapesTest, ReadsAnObjectShorterThanTheHeaderProbe) {
  with_file(from_hex("04 01 AA"));
  EXPECT_EQ(client_->read_der_file(file_id), from_hex("04 01 AA"));
}

TEST_F(JpkiClientFileShapesTest, StopsAtTheObjectEndInsideALongerFile) {
  with_file(from_hex("04 02 AA BB FF FF FF FF FF FF"));
  EXPECT_EQ(client_->read_der_file(file_id), from_hex("04 02 AA BB"));
}

TEST_F(JpkiClientFileShapesTest, ReadsAnObjectWithATwoByteTag) {
  with_file(from_hex("5F 20 03 41 42 43"));
  EXPECT_EQ(client_->read_der_file(file_id), from_hex("5F 20 03 41 42 43"));
}

TEST_F(JpkiClientFileShapesTest, FileShorterThanItsHeaderSaysIsMalformed) {
  Bytes object = from_hex("04 82 01 00");
  append(object, Bytes(100, 0x11));
  with_file(object);
  try {
    client_->read_der_file(file_id);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input);
    EXPECT_EQ(e.context(), "EF 0100");
  }
}

TEST_F(JpkiClientFileShapesTest, EmptyFileIsACardError) {
  with_file({});
  try {
    client_->read_der_file(file_id);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::card);
    EXPECT_EQ(e.message(), "6B00 wrong parameters (offset outside the EF)");
    EXPECT_EQ(e.context(), "READ BINARY EF 0100 at offset 0");
  }
}

}  // namespace
}  // namespace onshi::testing
