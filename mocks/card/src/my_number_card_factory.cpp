#include "onshi/mocks/card/my_number_card_factory.hpp"

#include <map>
#include <mutex>
#include <random>

#include <openssl/x509.h>

#include "onshi/core/error.hpp"
#include "onshi/core/redact.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/my_number.hpp"
#include "onshi/jpki/token_info.hpp"

namespace onshi::mocks::card {
namespace {

constexpr const char* factory_context = "virtual My Number Card";
constexpr unsigned max_tries_in_63cx = 15;  // the counter travels in SW2's low nibble

Bytes aid_bytes(const jpki::aid::Aid10& aid) { return Bytes(aid.begin(), aid.end()); }

[[noreturn]] void invalid(const std::string& what) { throw Error(ErrorCode::invalid_argument, what, factory_context); }

void check_tries(unsigned tries, const char* what) {
  if (tries == 0 || tries > max_tries_in_63cx) {
    invalid(std::string(what) + " tries must be 1..15, got " + std::to_string(tries));
  }
}

void check_secret(const std::string& value, const jpki::PinFormat& format, const char* what) {
  if (!format.accepts(value)) invalid(std::string(what) + " " + redact_pin(value) + " is not in the card's format");
}

void check_pair(const KeyAndCertificate& pair, const char* what) {
  if (!pair.certificate || !pair.key) invalid(std::string(what) + " certificate and key are both required");
  if (X509_check_private_key(pair.certificate.get(), pair.key.get()) != 1) {
    crypto::drain_openssl_errors();
    invalid(std::string(what) + " key does not match its certificate " + pair.certificate.subject());
  }
}

PinEf pin_ef(std::string value, const jpki::PinFormat& format, unsigned tries, bool changeable = true) {
  PinEf pin{std::move(value), format, tries, tries};
  pin.changeable = changeable;
  return pin;
}

BinaryEf guarded(Bytes contents, std::vector<FileId> pins) { return BinaryEf{std::move(contents), std::move(pins)}; }

Bytes public_key_der(const crypto::PrivateKey& key) {
  unsigned char* out = nullptr;
  const int length = i2d_PUBKEY(key.get(), &out);
  if (length <= 0) throw Error(ErrorCode::crypto, "i2d_PUBKEY: " + crypto::drain_openssl_errors(), factory_context);
  Bytes der(out, out + length);
  OPENSSL_free(out);
  return der;
}

// The issuer's signatures over a card's records, kept for the process. PKCS#1 v1.5 is
// deterministic, and a load run builds the same patients' cards again for every reception:
// their two issuer signatures were a fifth of a reception's CPU (perf, docs/load.md "Speed").
// An entry is keyed by SHA-256 over the issuer's public key and the signed bytes, so another
// key or another record never shares one. Bounded: emptied past 4,096 entries.
class IssuerSignatures {
 public:
  Bytes sign(const crypto::PrivateKey& key, ByteView signed_part) {
    const Bytes digest_info = crypto::sha256_digest_info(signed_part);
    Bytes id = public_key_der(key);
    append(id, digest_info);
    const Bytes entry = crypto::sha256(id);
    {
      const std::lock_guard lock(mutex_);
      if (const auto it = kept_.find(entry); it != kept_.end()) return it->second;
    }
    Bytes signature = key.sign_pkcs1_raw(digest_info);
    const std::lock_guard lock(mutex_);
    if (kept_.size() >= kMaxEntries) kept_.clear();
    kept_.emplace(entry, signature);
    return signature;
  }

 private:
  static constexpr std::size_t kMaxEntries = 4096;
  std::mutex mutex_;
  std::map<Bytes, Bytes> kept_;
};

Bytes issuer_signature(const MyNumberCardSpec& spec, ByteView signed_part) {
  if (!spec.issuer_key) invalid("the issuer key (signs the kenhojo and 券面AP records) is required");
  static IssuerSignatures signatures;
  return signatures.sign(spec.issuer_key, signed_part);
}

std::uint32_t crc32(ByteView data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const std::uint8_t byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void png_chunk(Bytes& out, const char* type, ByteView body) {
  store_be32(out, static_cast<std::uint32_t>(body.size()));
  Bytes typed = to_bytes(type);
  append(typed, body);
  append(out, typed);
  store_be32(out, crc32(typed));
}

}  // namespace

Bytes synthetic_face_image(std::uint64_t seed) {
  // JP2 signature box, then a file-type box ("jp2 "), then a contiguous-codestream box whose
  // codestream starts with SOC (FF 4F) and ends with EOC (FF D9).
  Bytes image = from_hex("0000000C 6A502020 0D0A870A");
  append(image, from_hex("00000014 66747970 6A703220 00000000 6A703220"));
  constexpr std::size_t payload = 2048;
  store_be32(image, static_cast<std::uint32_t>(8 + 2 + payload + 2));
  append(image, to_bytes("jp2c"));
  append(image, from_hex("FF4F"));
  std::mt19937_64 random(seed);
  for (std::size_t i = 0; i < payload; ++i) image.push_back(static_cast<std::uint8_t>(random() & 0x7F));
  append(image, from_hex("FFD9"));
  return image;
}

Bytes synthetic_png(std::uint64_t seed) {
  Bytes png = from_hex("89504E47 0D0A1A0A");
  png_chunk(png, "IHDR", from_hex("00000001 00000001 08 00 00 00 00"));  // 1x1, 8-bit grey
  const std::uint8_t pixel = static_cast<std::uint8_t>(seed % 256);
  const Bytes scanline{0x00, pixel};  // filter type 0, one sample
  // zlib (no compression): header, one final stored block, Adler-32 of the scanline.
  Bytes zlib = from_hex("7801 01 0200 FDFF");
  append(zlib, scanline);
  const std::uint32_t a = (1u + scanline[0] + scanline[1]) % 65521u;
  const std::uint32_t b = ((1u + scanline[0]) + a) % 65521u;
  store_be32(zlib, b << 16 | a);
  png_chunk(png, "IDAT", zlib);
  png_chunk(png, "IEND", {});
  return png;
}

Application make_jpki_application(const MyNumberCardSpec& spec, const CardProfile& profile) {
  check_secret(spec.auth_pin, jpki::auth_pin_format, "auth PIN");
  check_secret(spec.sign_password, jpki::sign_password_format, "sign password");
  check_tries(profile.auth_pin_max_tries, "auth PIN");
  check_tries(profile.sign_password_max_tries, "sign password");
  check_pair(spec.auth, "auth");
  check_pair(spec.sign, "sign");
  if (!spec.auth_ca || !spec.sign_ca) invalid("both CA certificates (EF 000B, EF 0002) are required");

  namespace ef = jpki::ef;
  Application jpki{"JPKI AP", aid_bytes(jpki::aid::jpki), {}};
  jpki.files.emplace(ef::token_info, BinaryEf{jpki::make_token_info(jpki::token_label::my_number_card), {}});
  jpki.files.emplace(ef::certificate_presence, BinaryEf{Bytes{0x8F, 0x8F, 0x00}, {}});
  jpki.files.emplace(ef::sign_certificate, guarded(spec.sign.certificate.to_der(), {ef::sign_password}));
  jpki.files.emplace(ef::sign_ca_certificate, BinaryEf{spec.sign_ca.to_der(), {}});
  jpki.files.emplace(ef::auth_certificate, BinaryEf{spec.auth.certificate.to_der(), {}});
  jpki.files.emplace(ef::auth_ca_certificate, BinaryEf{spec.auth_ca.to_der(), {}});
  if (spec.terminal_ca) jpki.files.emplace(ef::terminal_ca_key, BinaryEf{spec.terminal_ca->to_der(), {}});
  KeyEf auth_key{spec.auth.key, ef::auth_pin};
  auth_key.usable_after_terminal_authentication = spec.terminal_ca.has_value();
  jpki.files.emplace(ef::auth_private_key, std::move(auth_key));
  jpki.files.emplace(ef::auth_pin, pin_ef(spec.auth_pin, jpki::auth_pin_format, profile.auth_pin_max_tries));
  jpki.files.emplace(ef::sign_private_key, KeyEf{spec.sign.key, ef::sign_password});
  jpki.files.emplace(ef::sign_password,
                     pin_ef(spec.sign_password, jpki::sign_password_format, profile.sign_password_max_tries));
  return jpki;
}

Application make_card_input_helper_application(const MyNumberCardSpec& spec, const CardProfile& profile) {
  check_secret(spec.kenhojo_pin, jpki::kenhojo_pin_format, "kenhojo PIN");
  check_tries(profile.kenhojo_pin_max_tries, "kenhojo PIN");
  check_tries(profile.collation_number_max_tries, "照合番号");
  if (!jpki::is_valid_my_number(spec.my_number)) invalid("My Number " + redact_number(spec.my_number) + " is not valid");
  const std::string number_b = jpki::collation_number_b(spec.basic_four.birthdate, spec.card_expiry, spec.security_code);

  namespace ef = jpki::kenhojo_ef;
  const Bytes my_number_file = jpki::encode_my_number_file(spec.my_number);
  const Bytes basic_four_file = jpki::encode_basic_four(spec.basic_four);
  Bytes hashes = jpki::encode_tlv(0xDF31, crypto::sha256(my_number_file));
  append(hashes, jpki::encode_tlv(0xDF32, crypto::sha256(basic_four_file)));
  Bytes signature_record = hashes;
  append(signature_record, jpki::encode_tlv(0xDF33, issuer_signature(spec, hashes)));

  const std::vector<FileId> unlock{ef::pin, ef::collation_number_a, ef::collation_number_b};
  Application kenhojo{"券面事項入力補助AP", aid_bytes(jpki::aid::card_input_helper), {}};
  kenhojo.files.emplace(ef::my_number, guarded(my_number_file, unlock));
  kenhojo.files.emplace(ef::basic_four, guarded(basic_four_file, unlock));
  kenhojo.files.emplace(ef::signature, guarded(jpki::encode_tlv(0xFF30, signature_record), unlock));
  kenhojo.files.emplace(ef::ap_info, BinaryEf{from_hex("DF51 02 0100"), {}});  // AP version 1.0 (layout: low confidence)
  kenhojo.files.emplace(ef::pin, pin_ef(spec.kenhojo_pin, jpki::kenhojo_pin_format, profile.kenhojo_pin_max_tries));
  kenhojo.files.emplace(ef::collation_number_a, pin_ef(spec.my_number, jpki::collation_number_a_format,
                                                       profile.collation_number_max_tries, false));
  kenhojo.files.emplace(ef::collation_number_b, pin_ef(number_b, jpki::collation_number_b_format,
                                                       profile.collation_number_max_tries, false));
  return kenhojo;
}

Application make_card_surface_application(const MyNumberCardSpec& spec, const CardProfile& profile) {
  check_tries(profile.collation_number_max_tries, "照合番号");
  if (!jpki::is_valid_my_number(spec.my_number)) invalid("My Number " + redact_number(spec.my_number) + " is not valid");
  if (spec.face_image.empty()) invalid("the card needs a face image");
  const std::string number_b = jpki::collation_number_b(spec.basic_four.birthdate, spec.card_expiry, spec.security_code);

  jpki::CardSurfaceInfo surface;
  surface.birthdate = spec.basic_four.birthdate;
  surface.sex = spec.basic_four.sex;
  surface.public_key = public_key_der(spec.issuer_key);
  const std::uint64_t image_seed = std::hash<std::string>{}(spec.my_number);
  surface.name_image = synthetic_png(image_seed);
  surface.address_image = synthetic_png(image_seed + 1);
  surface.face_image = spec.face_image;
  surface.signature = issuer_signature(spec, jpki::card_surface_signed_part(surface));
  surface.expiry = spec.card_expiry;
  surface.security_code_image = synthetic_png(image_seed + 2);

  namespace ef = jpki::kenkaku_ef;
  Application kenkaku{"券面AP", aid_bytes(jpki::aid::card_surface), {}};
  kenkaku.files.emplace(ef::card_surface, guarded(jpki::encode_card_surface(surface),
                                                  {ef::collation_number_a, ef::collation_number_b}));
  kenkaku.files.emplace(ef::collation_number_a, pin_ef(spec.my_number, jpki::collation_number_a_format,
                                                       profile.collation_number_max_tries, false));
  kenkaku.files.emplace(ef::collation_number_b, pin_ef(number_b, jpki::collation_number_b_format,
                                                       profile.collation_number_max_tries, false));
  return kenkaku;
}

std::unique_ptr<VirtualMyNumberCard> make_virtual_my_number_card(const MyNumberCardSpec& spec, CardProfile profile) {
  CardFileSystem files;
  files.applications.push_back(make_jpki_application(spec, profile));
  files.applications.push_back(make_card_input_helper_application(spec, profile));
  files.applications.push_back(make_card_surface_application(spec, profile));
  return std::make_unique<VirtualMyNumberCard>(std::move(files), std::move(profile));
}

}  // namespace onshi::mocks::card
