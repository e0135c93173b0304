#include "onshi/mocks/card/virtual_my_number_card.hpp"

#include <algorithm>

#include <openssl/crypto.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/iso7816/status_word.hpp"
#include "onshi/jpki/ber_object_size.hpp"

namespace onshi::mocks::card {
namespace {

namespace sw = iso7816::sw;
using iso7816::CommandApdu;
using iso7816::ResponseApdu;

constexpr std::uint8_t cla_interindustry = 0x00;
constexpr std::uint8_t cla_proprietary = 0x80;
constexpr std::uint8_t ins_verify = 0x20;
constexpr std::uint8_t ins_compute_signature = 0x2A;
constexpr std::uint8_t ins_select = 0xA4;
constexpr std::uint8_t ins_read_binary = 0xB0;
constexpr std::uint8_t ins_change_reference_data = 0x24;
constexpr std::uint8_t ins_get_challenge = 0x84;
constexpr std::uint8_t ins_get_data = 0xCA;
constexpr std::uint8_t ins_get_data_odd = 0xCB;
constexpr std::uint8_t ins_terminal_authenticate = 0xA2;
constexpr std::uint8_t cla_chaining_bit = 0x10;
constexpr std::uint16_t referenced_data_not_found = 0x6A88;
constexpr std::size_t max_chained_data = 4096;  // a certificate and a signature fit easily
constexpr std::size_t max_challenge = 256;

constexpr std::uint8_t select_ef_under_current_df = 0x02;
constexpr std::uint8_t select_by_df_name = 0x04;
constexpr std::uint8_t no_response_data = 0x0C;
constexpr std::uint8_t current_reference = 0x80;     // VERIFY / SIGN P2: the current PIN / key EF
constexpr std::uint8_t sfi_addressing_bit = 0x80;    // READ BINARY P1, VERIFY P2
constexpr std::uint8_t sfi_mask = 0x1F;
constexpr std::uint8_t read_binary_sfi_rfu_bits = 0x60;  // must be 0 when P1 carries an SFI
constexpr std::uint8_t reserved_sfi = 0x1F;

constexpr std::size_t max_aid_length = 16;
constexpr std::size_t fid_length = 2;
constexpr std::size_t pkcs1_type1_overhead = 11;  // 00 01 PS(>= 8 x FF) 00
constexpr std::uint16_t technical_problem = 0x6F00;
constexpr std::uint16_t memory_failure = 0x6581;  // ISO 7816-4: the EEPROM write failed

ResponseApdu status(std::uint16_t status_word) {
  ResponseApdu response;
  response.sw = status_word;
  return response;
}

ResponseApdu data_with_status(Bytes data, std::uint16_t status_word) {
  ResponseApdu response;
  response.data = std::move(data);
  response.sw = status_word;
  return response;
}

}  // namespace

VirtualMyNumberCard::VirtualMyNumberCard(CardFileSystem files, CardProfile profile)
    : profile_(std::move(profile)), files_(std::move(files)) {}

Bytes VirtualMyNumberCard::power_on() {
  const std::lock_guard lock(mutex_);
  clear_volatile_state();
  powered_ = true;
  return profile_.atr;
}

void VirtualMyNumberCard::power_off() {
  const std::lock_guard lock(mutex_);
  powered_ = false;
  clear_volatile_state();
}

bool VirtualMyNumberCard::powered() const {
  const std::lock_guard lock(mutex_);
  return powered_;
}

void VirtualMyNumberCard::reset_for_fixture() {
  const std::lock_guard lock(mutex_);
  files_.reset_pin_counters();
  clear_volatile_state();
  if (state_file_) state_file_->save(files_);
}

void VirtualMyNumberCard::keep_state_in(CardStateFile file) {
  const std::lock_guard lock(mutex_);
  file.load_into(files_);
  file.save(files_);  // an unwritable place fails now, not at the first wrong PIN
  state_file_ = std::move(file);
}

bool VirtualMyNumberCard::persist_counters() {
  if (!state_file_) return true;
  try {
    state_file_->save(files_);
    return true;
  } catch (const Error&) {
    return false;
  }
}

Bytes VirtualMyNumberCard::transmit(ByteView command_apdu) {
  const std::lock_guard lock(mutex_);
  if (!powered_) throw Error(ErrorCode::state, "card is not powered; power_on() first", "virtual My Number Card");
  CommandApdu command;
  try {
    command = CommandApdu::parse(command_apdu);
  } catch (const Error&) {
    return status(sw::wrong_length).encode();  // length fields disagree with the byte count
  }
  const Bytes response = dispatch(command).encode();
  OPENSSL_cleanse(command.data.data(), command.data.size());  // may hold a PIN
  return response;
}

void VirtualMyNumberCard::clear_volatile_state() {
  current_application_.reset();
  current_ef_.reset();
  verified_pins_.clear();
  challenge_.clear();
  chained_data_.clear();
  terminal_authenticated_ = false;
}

Application* VirtualMyNumberCard::current_application() {
  return current_application_ ? &files_.applications[*current_application_] : nullptr;
}

ResponseApdu VirtualMyNumberCard::dispatch(const CommandApdu& command) {
  // The plain interindustry class and JPKI's proprietary class, the latter also with the
  // chaining bit for 80 A2: no secure messaging, no logical channels.
  const bool chained = command.cla == (cla_proprietary | cla_chaining_bit);
  if (command.cla != cla_interindustry && command.cla != cla_proprietary && !chained) {
    return status(sw::cla_not_supported);
  }
  if (command.ins != ins_terminal_authenticate) chained_data_.clear();  // a chain is interrupted
  const bool interindustry = command.cla == cla_interindustry;
  if (chained && command.ins != ins_terminal_authenticate) return status(sw::cla_not_supported);
  switch (command.ins) {
    case ins_select: return interindustry ? select(command) : status(sw::cla_not_supported);
    case ins_read_binary: return interindustry ? read_binary(command) : status(sw::cla_not_supported);
    case ins_verify: return interindustry ? verify(command) : status(sw::cla_not_supported);
    case ins_change_reference_data:
      return interindustry ? change_reference_data(command) : status(sw::cla_not_supported);
    case ins_get_challenge: return interindustry ? get_challenge(command) : status(sw::cla_not_supported);
    // Middleware probing for its driver asks for CPLC, serial numbers, ... : none exists here.
    case ins_get_data:
    case ins_get_data_odd: return status(referenced_data_not_found);
    case ins_compute_signature: return interindustry ? status(sw::cla_not_supported) : compute_signature(command);
    case ins_terminal_authenticate:
      if (!profile_.terminal_authentication) return status(sw::ins_not_supported);
      return interindustry ? status(sw::cla_not_supported) : terminal_authenticate(command);
    default: return status(sw::ins_not_supported);
  }
}

ResponseApdu VirtualMyNumberCard::select(const CommandApdu& command) {
  // Only P2=0C (no FCI) is answered, as every JPKI host sends it.
  if (command.p2 != no_response_data) return status(sw::wrong_p1p2);
  switch (command.p1) {
    case select_by_df_name: return select_application(command);
    case select_ef_under_current_df: return select_ef(command);
    default: return status(sw::wrong_p1p2);
  }
}

ResponseApdu VirtualMyNumberCard::select_application(const CommandApdu& command) {
  if (command.data.empty() || command.data.size() > max_aid_length) return status(sw::wrong_length);
  const auto index = files_.find_application(command.data);
  if (!index) return status(sw::file_not_found);  // a failed SELECT leaves the current AP as it was
  // Entering an AP (even the same one again) drops its security state.
  clear_volatile_state();
  current_application_ = index;
  return status(sw::ok);
}

ResponseApdu VirtualMyNumberCard::select_ef(const CommandApdu& command) {
  if (command.data.size() != fid_length) return status(sw::wrong_length);
  Application* application = current_application();
  // With no AP selected the card is at the MF, where no JPKI EF exists.
  if (application == nullptr) return status(sw::file_not_found);
  const FileId fid = load_be16(command.data, 0);
  if (application->find(fid) == nullptr) return status(sw::file_not_found);
  current_ef_ = fid;
  return status(sw::ok);
}

ResponseApdu VirtualMyNumberCard::read_binary(const CommandApdu& command) {
  if (!command.data.empty() || !command.le) return status(sw::wrong_length);  // case 2 only
  Application* application = current_application();
  std::size_t offset = 0;
  if ((command.p1 & sfi_addressing_bit) != 0) {
    if ((command.p1 & read_binary_sfi_rfu_bits) != 0 || (command.p1 & sfi_mask) == reserved_sfi) {
      return status(sw::wrong_p1p2);
    }
    if (application == nullptr) return status(sw::file_not_found);
    const auto fid = application->fid_for_sfi(command.p1 & sfi_mask);
    if (!fid) return status(sw::file_not_found);
    current_ef_ = *fid;  // ISO 7816-4: reading by SFI makes the EF current
    offset = command.p2;
  } else {
    if (application == nullptr || !current_ef_) return status(sw::command_not_allowed_no_ef);
    offset = static_cast<std::size_t>(command.p1) << 8 | command.p2;
  }
  const auto* binary = std::get_if<BinaryEf>(application->find(*current_ef_));
  if (binary == nullptr) return status(sw::security_status_not_satisfied);  // PINs and keys never leave the card
  if (!binary->read_requires_any_pin.empty() &&
      std::none_of(binary->read_requires_any_pin.begin(), binary->read_requires_any_pin.end(),
                   [&](FileId pin) { return verified_pins_.contains(pin); })) {
    return status(sw::security_status_not_satisfied);
  }
  const Bytes& contents = binary->contents;
  if (offset >= contents.size()) return status(sw::wrong_p1p2_offset);
  const std::size_t wanted = *command.le;
  const std::size_t count = std::min(wanted, contents.size() - offset);
  const auto first = contents.begin() + static_cast<std::ptrdiff_t>(offset);
  return data_with_status(Bytes(first, first + static_cast<std::ptrdiff_t>(count)),
                          count < wanted ? sw::end_of_file : sw::ok);
}

ResponseApdu VirtualMyNumberCard::verify(const CommandApdu& command) {
  if (command.p1 != 0x00) return status(sw::wrong_p1p2);
  Application* application = current_application();
  FileId fid = 0;
  if (command.p2 == current_reference) {
    if (application == nullptr || !current_ef_) return status(sw::command_not_allowed_no_ef);
    fid = *current_ef_;
  } else if ((command.p2 & ~sfi_mask) == sfi_addressing_bit && (command.p2 & sfi_mask) != reserved_sfi) {
    // 80|SFI: a PIN EF named without SELECT
    if (application == nullptr) return status(sw::file_not_found);
    const auto by_sfi = application->fid_for_sfi(command.p2 & sfi_mask);
    if (!by_sfi || !std::holds_alternative<PinEf>(*application->find(*by_sfi))) return status(sw::file_not_found);
    fid = *by_sfi;
  } else {
    return status(sw::wrong_p1p2);
  }
  auto* pin = std::get_if<PinEf>(application->find(fid));
  if (pin == nullptr) return status(sw::command_not_allowed_no_ef);  // the current EF is not a PIN

  if (pin->blocked()) return status(profile_.blocked_status_word);
  if (command.data.empty()) {  // a query: costs no try
    return status(verified_pins_.contains(fid) ? sw::ok : sw::verify_failed(pin->tries_left));
  }
  // A value the PIN could never have is refused before comparing, so it costs no try.
  if (!pin->format.length_fits(command.data.size())) return status(sw::wrong_length);
  if (!pin->format.alphabet_fits(command.data)) return status(sw::wrong_data);

  const bool match = command.data.size() == pin->value.size() &&
                     CRYPTO_memcmp(command.data.data(), pin->value.data(), pin->value.size()) == 0;
  if (match) {
    const bool was_full = pin->tries_left == pin->max_tries;
    pin->tries_left = pin->max_tries;
    if (!was_full && !persist_counters()) return status(memory_failure);
    verified_pins_.insert(fid);
    return status(sw::ok);
  }
  // Written before the answer, as a card commits its counter before it replies: a host that
  // cuts the power (or a SIGKILL) after seeing 63Cx cannot get the try back.
  --pin->tries_left;
  verified_pins_.erase(fid);
  if (!persist_counters()) return status(memory_failure);
  return status(sw::verify_failed(pin->tries_left));  // 63C0 on the attempt that blocks it
}

ResponseApdu VirtualMyNumberCard::compute_signature(const CommandApdu& command) {
  // JPKI's 80 2A 00 80: P1 00 = sign the data as given (a DigestInfo), P2 80 = the current key EF.
  if (command.p1 != 0x00 || command.p2 != current_reference) return status(sw::wrong_p1p2);
  if (command.data.empty()) return status(sw::wrong_length);
  Application* application = current_application();
  if (application == nullptr || !current_ef_) return status(sw::command_not_allowed_no_ef);
  const auto* key = std::get_if<KeyEf>(application->find(*current_ef_));
  if (key == nullptr) return status(sw::conditions_not_satisfied);  // the current EF is not a key
  const bool by_terminal = key->usable_after_terminal_authentication && terminal_authenticated_;
  if (!verified_pins_.contains(key->guarding_pin) && !by_terminal) return status(sw::security_status_not_satisfied);

  const std::size_t modulus_size = key->key.bits() / 8;
  if (!command.le || *command.le < modulus_size) return status(sw::wrong_length);  // no room for the signature
  if (command.data.size() > modulus_size - pkcs1_type1_overhead) return status(sw::wrong_length);
  try {
    return data_with_status(key->key.sign_pkcs1_raw(command.data), sw::ok);
  } catch (const Error&) {
    return status(technical_problem);
  }
}

ResponseApdu VirtualMyNumberCard::change_reference_data(const CommandApdu& command) {
  // 00 24 01 80 Lc <new>: P1 01 = the old value was verified by a VERIFY before (the only
  // form JPKI hosts send); P2 80 = the current PIN EF.
  if (command.p1 != 0x01 || command.p2 != current_reference) return status(sw::wrong_p1p2);
  Application* application = current_application();
  if (application == nullptr || !current_ef_) return status(sw::command_not_allowed_no_ef);
  auto* pin = std::get_if<PinEf>(application->find(*current_ef_));
  if (pin == nullptr) return status(sw::command_not_allowed_no_ef);
  if (pin->blocked()) return status(profile_.blocked_status_word);
  if (!pin->changeable) return status(sw::conditions_not_satisfied);
  if (!verified_pins_.contains(*current_ef_)) return status(sw::security_status_not_satisfied);
  if (!pin->format.length_fits(command.data.size())) return status(sw::wrong_length);
  if (!pin->format.alphabet_fits(command.data)) return status(sw::wrong_data);
  pin->value.assign(command.data.begin(), command.data.end());
  pin->tries_left = pin->max_tries;
  if (!persist_counters()) return status(memory_failure);  // the counter only: a new PIN value is not kept
  return status(sw::ok);
}

ResponseApdu VirtualMyNumberCard::get_challenge(const CommandApdu& command) {
  if (command.p1 != 0x00 || command.p2 != 0x00) return status(sw::wrong_p1p2);
  if (!command.data.empty() || !command.le || *command.le > max_challenge) return status(sw::wrong_length);
  challenge_ = crypto::random_bytes(*command.le);
  return data_with_status(challenge_, sw::ok);
}

ResponseApdu VirtualMyNumberCard::terminal_authenticate(const CommandApdu& command) {
  if (command.p1 != 0x00 || command.p2 != 0x00) return status(sw::wrong_p1p2);
  if (command.data.empty()) return status(sw::wrong_length);
  if (chained_data_.size() + command.data.size() > max_chained_data) {
    chained_data_.clear();
    return status(sw::wrong_length);
  }
  append(chained_data_, command.data);
  if ((command.cla & cla_chaining_bit) != 0) return status(sw::ok);  // more blocks follow
  const Bytes data = std::move(chained_data_);
  chained_data_.clear();
  return check_terminal(data);
}

// 特定機関認証 as emulated: the data is a terminal certificate (DER) issued by the CA in the
// JPKI AP's EF 0016, followed by its key's PKCS#1 v1.5 signature over SHA-256(challenge).
ResponseApdu VirtualMyNumberCard::check_terminal(ByteView data) {
  Application* application = current_application();
  if (application == nullptr) return status(sw::conditions_not_satisfied);
  const auto* anchor = std::get_if<BinaryEf>(application->find(jpki::ef::terminal_ca_key));
  if (anchor == nullptr) return status(sw::conditions_not_satisfied);  // not the JPKI AP
  if (challenge_.empty()) return status(sw::conditions_not_satisfied);  // GET CHALLENGE first
  const Bytes challenge = std::move(challenge_);
  challenge_.clear();  // one attempt per challenge
  terminal_authenticated_ = false;
  std::optional<std::size_t> certificate_size;
  try {
    certificate_size = jpki::ber_object_size(data);
  } catch (const Error&) {
    return status(sw::wrong_data);
  }
  if (!certificate_size || *certificate_size >= data.size()) return status(sw::wrong_data);
  try {
    const auto terminal = crypto::Certificate::from_der(data.first(*certificate_size), "terminal certificate");
    const auto ca = crypto::Certificate::from_der(anchor->contents, "EF 0016");
    const ByteView signature = data.subspan(*certificate_size);
    if (!terminal.issued_by(ca) || !terminal.verify_sha256_pkcs1(challenge, signature)) {
      return status(sw::security_status_not_satisfied);
    }
  } catch (const Error&) {
    return status(sw::wrong_data);
  }
  terminal_authenticated_ = true;
  return status(sw::ok);
}

}  // namespace onshi::mocks::card
