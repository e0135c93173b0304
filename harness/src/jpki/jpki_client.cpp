#include "onshi/jpki/jpki_client.hpp"

#include <algorithm>

#include <openssl/crypto.h>

#include "onshi/core/error.hpp"
#include "onshi/core/redact.hpp"
#include "onshi/iso7816/status_word.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/ber_object_size.hpp"
#include "onshi/jpki/token_info.hpp"

namespace onshi::jpki {
namespace {

namespace sw = iso7816::sw;
using iso7816::CommandApdu;
using iso7816::ResponseApdu;

constexpr std::uint8_t cla_interindustry = 0x00;
constexpr std::uint8_t cla_proprietary = 0x80;  // JPKI's signing command
constexpr std::uint8_t ins_verify = 0x20;
constexpr std::uint8_t ins_compute_signature = 0x2A;
constexpr std::uint8_t ins_select = 0xA4;
constexpr std::uint8_t ins_read_binary = 0xB0;
constexpr std::uint8_t ins_change_reference_data = 0x24;
constexpr std::uint8_t ins_get_challenge = 0x84;
constexpr std::uint8_t ins_terminal_authenticate = 0xA2;  // proprietary, low confidence (docs/domain/card.md, 特定機関認証)
constexpr std::uint8_t cla_chaining_bit = 0x10;
constexpr std::uint8_t change_after_verify = 0x01;        // P1 01: the old value was verified before
constexpr std::uint8_t select_by_df_name = 0x04;
constexpr std::uint8_t select_ef_under_current_df = 0x02;
constexpr std::uint8_t no_response_data = 0x0C;
constexpr std::uint8_t specific_reference_data = 0x80;  // VERIFY/SIGN P2: the current PIN/key EF

constexpr std::size_t max_short_le = 256;
constexpr std::size_t max_read_binary_offset = 0x7FFF;  // P1 bit 8 set would mean SFI addressing
constexpr std::size_t max_short_lc = 255;
constexpr std::size_t rsa2048_signature_size = 256;

// Plain assignment rather than designated initializers: GCC 12 warns on every omitted field.
CommandApdu make_command(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data = {},
                         std::optional<std::uint32_t> le = std::nullopt) {
  CommandApdu command;
  command.cla = cla;
  command.ins = ins;
  command.p1 = p1;
  command.p2 = p2;
  command.data = std::move(data);
  command.le = le;
  return command;
}

[[noreturn]] void card_error(std::uint16_t status, const std::string& operation) {
  throw Error(ErrorCode::card, sw::describe(status), operation);
}

}  // namespace

ResponseApdu JpkiClient::exchange(const CommandApdu& command) { return channel_.transmit(command); }

std::string JpkiClient::current_ef_name() const { return current_ef_ ? ef_name(*current_ef_) : "current EF"; }

void JpkiClient::select_application(ByteView aid, std::string_view name) {
  const CommandApdu command =
      make_command(cla_interindustry, ins_select, select_by_df_name, no_response_data, Bytes(aid.begin(), aid.end()));
  const ResponseApdu response = exchange(command);
  if (!response.ok()) card_error(response.sw, "SELECT " + std::string(name));
  current_ef_.reset();
}

void JpkiClient::select_jpki_ap() { select_application(aid::jpki, "JPKI AP"); }

void JpkiClient::select_ef(FileId fid) {
  Bytes fid_bytes;
  store_be16(fid_bytes, fid);
  const CommandApdu command =
      make_command(cla_interindustry, ins_select, select_ef_under_current_df, no_response_data, fid_bytes);
  const ResponseApdu response = exchange(command);
  if (!response.ok()) card_error(response.sw, "SELECT " + ef_name(fid));
  current_ef_ = fid;
}

Bytes JpkiClient::read_binary(std::size_t offset, std::size_t length) {
  const std::string operation = "READ BINARY " + current_ef_name() + " at offset " + std::to_string(offset);
  if (offset > max_read_binary_offset) {
    throw Error(ErrorCode::invalid_argument, "offset beyond the 15 bits of READ BINARY's P1-P2", operation);
  }
  if (length == 0 || length > max_short_le) {
    throw Error(ErrorCode::invalid_argument, "length must be 1..256, asked " + std::to_string(length), operation);
  }
  CommandApdu command = make_command(cla_interindustry, ins_read_binary, static_cast<std::uint8_t>(offset >> 8),
                                     static_cast<std::uint8_t>(offset), {}, static_cast<std::uint32_t>(length));
  ResponseApdu response = exchange(command);
  if (response.sw1() == 0x6C) {  // wrong Le; SW2 says how many bytes there are: ask again for exactly those
    command.le = response.sw2() == 0 ? 256u : response.sw2();
    response = exchange(command);
  }
  if (response.sw != sw::ok && response.sw != sw::end_of_file) card_error(response.sw, operation);
  if (response.data.size() > *command.le) {
    throw Error(ErrorCode::protocol,
                "card returned " + std::to_string(response.data.size()) + " bytes for Le=" + std::to_string(*command.le),
                operation);
  }
  return std::move(response.data);
}

Bytes JpkiClient::read_binary_file() {
  Bytes content = read_binary(0, ber_header_probe_size);
  std::optional<std::size_t> total = ber_object_size(content);
  while (!total) {  // a long tag: the header is not complete yet
    const Bytes more = read_binary(content.size(), ber_header_probe_size);
    if (more.empty()) break;
    append(content, more);
    total = ber_object_size(content);
  }
  if (!total) throw Error(ErrorCode::malformed_input, "file ends inside its BER header", current_ef_name());
  while (content.size() < *total) {
    const std::size_t chunk = std::min(max_short_le, *total - content.size());
    const Bytes data = read_binary(content.size(), chunk);
    append(content, data);
    if (data.size() < chunk) {
      throw Error(ErrorCode::malformed_input,
                  "file ends after " + std::to_string(content.size()) + " bytes but its BER header says " +
                      std::to_string(*total),
                  current_ef_name());
    }
  }
  content.resize(*total);  // the header probe may have read past a very short object
  return content;
}

Bytes JpkiClient::read_der_file(FileId fid) {
  select_ef(fid);
  return read_binary_file();
}

crypto::Certificate JpkiClient::read_auth_certificate() {
  return crypto::Certificate::from_der(read_der_file(ef::auth_certificate), "JPKI " + ef_name(ef::auth_certificate));
}

crypto::Certificate JpkiClient::read_auth_ca_certificate() {
  return crypto::Certificate::from_der(read_der_file(ef::auth_ca_certificate),
                                       "JPKI " + ef_name(ef::auth_ca_certificate));
}

std::string JpkiClient::read_token_label() {
  select_ef(ef::token_info);
  return parse_token_label(read_binary(0, token_label_size));
}

std::optional<unsigned> JpkiClient::pin_tries_left(FileId pin_ef) {
  select_ef(pin_ef);
  const CommandApdu query = make_command(cla_interindustry, ins_verify, 0x00, specific_reference_data);
  const ResponseApdu response = exchange(query);
  const auto status = PinVerification::from_status_word(response.sw);
  if (!status) card_error(response.sw, "VERIFY " + ef_name(pin_ef) + " (tries left)");
  if (status->verified()) return std::nullopt;
  return status->tries_left;
}

PinVerification JpkiClient::verify_pin(FileId pin_ef, std::string_view pin, const PinFormat& format) {
  const std::string operation = "VERIFY " + ef_name(pin_ef);
  if (!format.accepts(pin)) {
    throw Error(ErrorCode::invalid_argument,
                "PIN " + redact_pin(pin) + " of " + std::to_string(pin.size()) +
                    " characters is not in the format the card accepts; not sent",
                operation);
  }
  select_ef(pin_ef);
  CommandApdu command = make_command(cla_interindustry, ins_verify, 0x00, specific_reference_data, to_bytes(pin));
  ResponseApdu response;
  try {
    response = exchange(command);
  } catch (...) {
    OPENSSL_cleanse(command.data.data(), command.data.size());
    throw;
  }
  OPENSSL_cleanse(command.data.data(), command.data.size());
  const auto result = PinVerification::from_status_word(response.sw);
  if (!result) card_error(response.sw, operation);
  return *result;
}

Bytes JpkiClient::sign(FileId key_ef, ByteView digest_info) {
  const std::string operation = "SIGN with " + ef_name(key_ef);
  if (digest_info.empty() || digest_info.size() > max_short_lc) {
    throw Error(ErrorCode::invalid_argument,
                "DigestInfo of " + std::to_string(digest_info.size()) + " bytes; the card takes 1..255", operation);
  }
  select_ef(key_ef);
  const CommandApdu command =
      make_command(cla_proprietary, ins_compute_signature, 0x00, specific_reference_data,
                   Bytes(digest_info.begin(), digest_info.end()), static_cast<std::uint32_t>(max_short_le));
  ResponseApdu response = exchange(command);
  if (!response.ok()) card_error(response.sw, operation);
  if (response.data.size() != rsa2048_signature_size) {
    throw Error(ErrorCode::protocol,
                "signature of " + std::to_string(response.data.size()) + " bytes; an RSA-2048 key gives 256",
                operation);
  }
  return std::move(response.data);
}

PinVerification JpkiClient::change_pin(FileId pin_ef, std::string_view old_pin, std::string_view new_pin,
                                       const PinFormat& format) {
  const std::string operation = "CHANGE REFERENCE DATA " + ef_name(pin_ef);
  if (!format.accepts(new_pin)) {
    throw Error(ErrorCode::invalid_argument,
                "new PIN " + redact_pin(new_pin) + " is not in the format the card accepts; not sent", operation);
  }
  const PinVerification old_verified = verify_pin(pin_ef, old_pin, format);
  if (!old_verified.verified()) return old_verified;
  CommandApdu command = make_command(cla_interindustry, ins_change_reference_data, change_after_verify,
                                     specific_reference_data, to_bytes(new_pin));
  ResponseApdu response;
  try {
    response = exchange(command);
  } catch (...) {
    OPENSSL_cleanse(command.data.data(), command.data.size());
    throw;
  }
  OPENSSL_cleanse(command.data.data(), command.data.size());
  if (!response.ok()) card_error(response.sw, operation);
  return old_verified;
}

Bytes JpkiClient::get_challenge(std::size_t length) {
  if (length == 0 || length > max_short_le) {
    throw Error(ErrorCode::invalid_argument, "challenge length must be 1..256", "GET CHALLENGE");
  }
  const ResponseApdu response = exchange(
      make_command(cla_interindustry, ins_get_challenge, 0x00, 0x00, {}, static_cast<std::uint32_t>(length)));
  if (!response.ok()) card_error(response.sw, "GET CHALLENGE");
  if (response.data.size() != length) {
    throw Error(ErrorCode::protocol, "card returned " + std::to_string(response.data.size()) + " bytes", "GET CHALLENGE");
  }
  return response.data;
}

std::uint16_t JpkiClient::terminal_authenticate(const crypto::Certificate& terminal_certificate,
                                                const crypto::PrivateKey& terminal_key) {
  const std::string operation = "TERMINAL AUTHENTICATE (80 A2)";
  constexpr std::size_t challenge_size = 8;
  const Bytes challenge = get_challenge(challenge_size);
  Bytes data = terminal_certificate.to_der();
  append(data, terminal_key.sign_pkcs1_raw(crypto::sha256_digest_info(challenge)));
  // ISO 7816-4 command chaining: every block but the last carries CLA bit 0x10.
  std::size_t offset = 0;
  ResponseApdu response;
  while (offset < data.size()) {
    const std::size_t chunk = std::min(max_short_lc, data.size() - offset);
    const bool last = offset + chunk == data.size();
    const auto first = data.begin() + static_cast<std::ptrdiff_t>(offset);
    const CommandApdu command =
        make_command(static_cast<std::uint8_t>(cla_proprietary | (last ? 0 : cla_chaining_bit)),
                     ins_terminal_authenticate, 0x00, 0x00, Bytes(first, first + static_cast<std::ptrdiff_t>(chunk)));
    response = exchange(command);
    if (!last && !response.ok()) card_error(response.sw, operation + " (chained block)");
    offset += chunk;
  }
  if (response.ok() || response.sw == sw::security_status_not_satisfied) return response.sw;
  card_error(response.sw, operation);
}

}  // namespace onshi::jpki
