#include "onshi/reader/pcsc_card_reader.hpp"

#include <PCSC/winscard.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/iso7816/status_word.hpp"

namespace onshi::reader {
namespace {

using namespace std::chrono_literals;

// Poll step while waiting: bounds how late we notice a reader that appears or vanishes.
constexpr auto wait_step = 250ms;

std::string pcsc_text(LONG rc) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rc));
  return std::string(pcsc_stringify_error(rc)) + " (" + code + ")";
}

ErrorCode code_for(LONG rc) { return rc == SCARD_E_TIMEOUT ? ErrorCode::timeout : ErrorCode::device; }

// What the rc means for the reception, in words a person at the bench can act on.
std::string meaning(LONG rc) {
  switch (rc) {
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_E_NO_SMARTCARD:
      return "card removed: ";
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_NO_READERS_AVAILABLE:
      return "reader vanished: ";
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      return "pcscd is not running: ";
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_F_COMM_ERROR:
      return "reader or card stopped answering: ";
    default:
      return "";
  }
}

DWORD pcsc_protocols(PcscProtocol p) {
  switch (p) {
    case PcscProtocol::t0: return SCARD_PROTOCOL_T0;
    case PcscProtocol::t1: return SCARD_PROTOCOL_T1;
    case PcscProtocol::any: break;
  }
  return SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;
}

}  // namespace

PcscProtocol parse_pcsc_protocol(const std::string& text) {
  if (text == "any") return PcscProtocol::any;
  if (text == "t0") return PcscProtocol::t0;
  if (text == "t1") return PcscProtocol::t1;
  throw Error(ErrorCode::invalid_argument, "PC/SC protocol '" + text + "' is not one of any, t0, t1");
}

PcscCardReader::PcscCardReader(PcscReaderOptions options) : options_(std::move(options)) {
  SCARDCONTEXT context = 0;
  const LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rc != SCARD_S_SUCCESS) {
    throw Error(code_for(rc), meaning(rc) + "SCardEstablishContext failed: " + pcsc_text(rc), name());
  }
  context_ = context;
}

PcscCardReader::~PcscCardReader() {
  try {
    disconnect();
  } catch (const Error&) {  // the card or pcscd is gone already; nothing to release
  }
  SCardReleaseContext(context_);
}

std::string PcscCardReader::name() const {
  if (!reader_.empty()) return "pcsc/" + reader_;
  return "pcsc/*" + options_.name_contains + "*";
}

std::vector<std::string> PcscCardReader::list_readers() {
  DWORD length = 0;
  LONG rc = SCardListReaders(context_, nullptr, nullptr, &length);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) throw Error(code_for(rc), meaning(rc) + "SCardListReaders failed: " + pcsc_text(rc), name());
  std::string names(length, '\0');
  rc = SCardListReaders(context_, nullptr, names.data(), &length);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) throw Error(code_for(rc), meaning(rc) + "SCardListReaders failed: " + pcsc_text(rc), name());
  names.resize(std::min<std::size_t>(length, names.size()));
  // A multi-string: names separated by NUL, ended by an empty one.
  std::vector<std::string> readers;
  for (std::size_t at = 0; at < names.size() && names[at] != '\0';) {
    const std::size_t end = names.find('\0', at);
    readers.push_back(names.substr(at, end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return readers;
}

bool PcscCardReader::resolve_reader() {
  for (const std::string& r : list_readers()) {
    if (r.find(options_.name_contains) != std::string::npos) {
      reader_ = r;
      return true;
    }
  }
  return false;
}

bool PcscCardReader::card_present() { return wait_for_card(Duration::zero()); }

bool PcscCardReader::wait_for_card(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  DWORD known = SCARD_STATE_UNAWARE;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto step = std::clamp<std::chrono::milliseconds>(left, 0ms, wait_step);
    if (reader_.empty() && !resolve_reader()) {
      // pcscd has not (yet) got the reader: its driver may still be loading, or a USB reader
      // not plugged in. Re-list rather than hang on a name that may never come.
      if (left <= 0ms) return false;
      std::this_thread::sleep_for(step);
      continue;
    }
    SCARD_READERSTATE state{};
    state.szReader = reader_.c_str();
    state.dwCurrentState = known;
    const LONG rc = SCardGetStatusChange(context_, static_cast<DWORD>(step.count()), &state, 1);
    if (rc == SCARD_S_SUCCESS) {
      known = state.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
      if ((state.dwEventState & SCARD_STATE_PRESENT) != 0 && (state.dwEventState & SCARD_STATE_MUTE) == 0) return true;
      if ((state.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) != 0) {
        reader_.clear();  // unplugged: look for it again by name
        known = SCARD_STATE_UNAWARE;
      }
    } else if (rc == SCARD_E_UNKNOWN_READER || rc == SCARD_E_READER_UNAVAILABLE) {
      reader_.clear();
      known = SCARD_STATE_UNAWARE;
    } else if (rc != SCARD_E_TIMEOUT) {
      throw Error(code_for(rc), meaning(rc) + "SCardGetStatusChange failed: " + pcsc_text(rc), name());
    }
    if (left <= 0ms) return false;
  }
}

Bytes PcscCardReader::connect() {
  if (connected_) return Bytes{};
  if (reader_.empty() && !resolve_reader()) {
    throw Error(ErrorCode::device, "no PC/SC reader whose name contains '" + options_.name_contains + "'", name());
  }
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  LONG rc = SCARD_S_SUCCESS;
  // pcscd may still report the previous card, gone by the time we power it (a card swapped
  // between receptions, a virtual card reconnecting to vpcd): its state says "present" until
  // the driver polls again, so back off a little longer each time, bounded (about 4 s).
  constexpr int kAttempts = 10;
  for (int attempt = 1;; ++attempt) {
    rc = SCardConnect(context_, reader_.c_str(), SCARD_SHARE_SHARED, pcsc_protocols(options_.protocol), &card, &protocol);
    const bool card_swapped = rc == SCARD_W_REMOVED_CARD || rc == SCARD_W_UNPOWERED_CARD || rc == SCARD_E_NO_SMARTCARD;
    if (!card_swapped || attempt == kAttempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(400, 50 * attempt)));
    if (!wait_for_card(std::chrono::seconds(2))) break;
  }
  if (rc != SCARD_S_SUCCESS) throw Error(code_for(rc), meaning(rc) + "SCardConnect failed: " + pcsc_text(rc), name());
  card_ = card;
  protocol_ = protocol;
  connected_ = true;
  std::array<BYTE, MAX_ATR_SIZE> atr{};
  DWORD atr_length = atr.size();
  DWORD state = 0;
  DWORD status_protocol = 0;
  rc = SCardStatus(card, nullptr, nullptr, &state, &status_protocol, atr.data(), &atr_length);
  if (rc != SCARD_S_SUCCESS) throw Error(code_for(rc), meaning(rc) + "SCardStatus failed: " + pcsc_text(rc), name());
  return Bytes(atr.begin(), atr.begin() + static_cast<std::ptrdiff_t>(std::min<DWORD>(atr_length, atr.size())));
}

void PcscCardReader::disconnect() {
  if (!connected_) return;
  connected_ = false;
  const LONG rc = SCardDisconnect(card_, SCARD_UNPOWER_CARD);
  card_ = 0;
  if (rc != SCARD_S_SUCCESS && rc != SCARD_W_REMOVED_CARD && rc != SCARD_E_NO_SMARTCARD) {
    throw Error(code_for(rc), meaning(rc) + "SCardDisconnect failed: " + pcsc_text(rc), name());
  }
}

std::string PcscCardReader::active_protocol() const {
  if (!connected_) return "";
  return protocol_ == SCARD_PROTOCOL_T0 ? "T=0" : "T=1";
}

iso7816::ApduChannel& PcscCardReader::channel() {
  if (!connected_) throw Error(ErrorCode::state, "card not connected", name());
  return *this;
}

Bytes PcscCardReader::transmit_raw(ByteView command) {
  if (!connected_) throw Error(ErrorCode::state, "card not connected", name());
  // Room for an extended-length response (65536 data bytes + SW).
  Bytes response(MAX_BUFFER_SIZE_EXTENDED);
  DWORD length = static_cast<DWORD>(response.size());
  const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  const LONG rc = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                                response.data(), &length);
  const auto where = [&] {
    return name() + " " + active_protocol() + ", C-APDU " + to_hex(command.first(std::min<std::size_t>(command.size(), 4)));
  };
  if (rc != SCARD_S_SUCCESS) throw Error(code_for(rc), meaning(rc) + "SCardTransmit failed: " + pcsc_text(rc), where());
  if (length < 2) {
    // Some drivers (ifd-vpcd when its card vanishes mid-exchange) report success with no
    // bytes at all: without a status word there is no answer, so say what it means.
    throw Error(ErrorCode::device,
                "card removed or mute: SCardTransmit failed: it returned " + std::to_string(length) +
                    " byte(s), no status word",
                where());
  }
  response.resize(std::min<std::size_t>(length, response.size()));
  return response;
}

iso7816::ResponseApdu PcscCardReader::transmit(const iso7816::CommandApdu& command) {
  iso7816::ResponseApdu response = iso7816::ResponseApdu::parse(transmit_raw(command.encode()));
  if (protocol_ != SCARD_PROTOCOL_T0) return response;
  // T=0 leaves two ISO 7816-3 procedures to the application (pcsc-lite does not do them):
  // 6Cxx = wrong Le, resend with Le = xx; 61xx = xx more bytes, fetch with GET RESPONSE.
  if (response.sw1() == 0x6C) {
    iso7816::CommandApdu again = command;
    again.le = response.sw2() == 0 ? 256u : response.sw2();
    response = iso7816::ResponseApdu::parse(transmit_raw(again.encode()));
  }
  Bytes data = std::move(response.data);
  // Bounded: a card that keeps answering 61xx is broken after 64 KiB worth of fragments.
  constexpr int max_get_responses = 256;
  for (int round = 0; response.sw1() == 0x61; ++round) {
    if (round == max_get_responses) {
      throw Error(ErrorCode::protocol,
                  "card still answers " + iso7816::sw::describe(response.sw) + " after " +
                      std::to_string(max_get_responses) + " GET RESPONSEs (" + std::to_string(data.size()) +
                      " bytes): a response longer than any APDU's",
                  name() + " T=0, C-APDU " + to_hex(command.encode()).substr(0, 8));
    }
    iso7816::CommandApdu get_response;
    get_response.cla = command.cla;
    get_response.ins = 0xC0;
    get_response.le = response.sw2() == 0 ? 256u : response.sw2();
    response = iso7816::ResponseApdu::parse(transmit_raw(get_response.encode()));
    append(data, response.data);
  }
  response.data = std::move(data);
  return response;
}

}  // namespace onshi::reader
