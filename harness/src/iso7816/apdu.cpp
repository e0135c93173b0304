#include "onshi/iso7816/apdu.hpp"

#include <string>

#include "onshi/core/error.hpp"

namespace onshi::iso7816 {
namespace {

[[noreturn]] void malformed(const std::string& what, std::size_t size) {
  throw Error(ErrorCode::malformed_input, what, "command APDU of " + std::to_string(size) + " bytes");
}

}  // namespace

CommandApdu CommandApdu::parse(ByteView raw) {
  const std::size_t n = raw.size();
  if (n < 4) malformed("shorter than the 4-byte header", n);
  CommandApdu apdu;
  apdu.cla = raw[0];
  apdu.ins = raw[1];
  apdu.p1 = raw[2];
  apdu.p2 = raw[3];
  if (n == 4) return apdu;  // case 1
  const ByteView body = raw.subspan(4);
  if (body.size() == 1) {  // case 2 short
    apdu.le = body[0] == 0 ? 256u : body[0];
    return apdu;
  }
  if (body[0] != 0) {  // short Lc
    const std::size_t lc = body[0];
    if (body.size() == 1 + lc) {  // case 3 short
      apdu.data.assign(body.begin() + 1, body.end());
      return apdu;
    }
    if (body.size() == 2 + lc) {  // case 4 short
      apdu.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
      apdu.le = body.back() == 0 ? 256u : body.back();
      return apdu;
    }
    malformed("Lc=" + std::to_string(lc) + " does not match the " + std::to_string(body.size() - 1) +
                  " bytes that follow it",
              n);
  }
  // Extended length: 00 then two bytes.
  apdu.extended = true;
  if (body.size() == 3) {  // case 2 extended
    const std::uint32_t le = load_be16(body, 1);
    apdu.le = le == 0 ? 65536u : le;
    return apdu;
  }
  if (body.size() < 3) malformed("truncated extended length field", n);
  const std::size_t lc = load_be16(body, 1);
  if (lc == 0) malformed("extended Lc of zero", n);
  if (body.size() == 3 + lc) {  // case 3 extended
    apdu.data.assign(body.begin() + 3, body.end());
    return apdu;
  }
  if (body.size() == 5 + lc) {  // case 4 extended
    apdu.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
    const std::uint32_t le = load_be16(body, 3 + lc);
    apdu.le = le == 0 ? 65536u : le;
    return apdu;
  }
  malformed("extended Lc=" + std::to_string(lc) + " does not match the " + std::to_string(body.size() - 3) +
                " bytes that follow it",
            n);
}

Bytes CommandApdu::encode() const {
  const bool ext = extended || data.size() > 255 || (le && *le > 256);
  if (data.size() > 65535) throw Error(ErrorCode::invalid_argument, "command data over 65535 bytes", "APDU encode");
  if (le && (*le == 0 || *le > 65536)) throw Error(ErrorCode::invalid_argument, "Le out of range", "APDU encode");
  Bytes out{cla, ins, p1, p2};
  if (!data.empty()) {
    if (ext) {
      out.push_back(0);
      store_be16(out, static_cast<std::uint16_t>(data.size()));
    } else {
      out.push_back(static_cast<std::uint8_t>(data.size()));
    }
    append(out, data);
  }
  if (le) {
    if (ext) {
      if (data.empty()) out.push_back(0);
      store_be16(out, static_cast<std::uint16_t>(*le == 65536 ? 0 : *le));
    } else {
      out.push_back(static_cast<std::uint8_t>(*le == 256 ? 0 : *le));
    }
  }
  return out;
}

ResponseApdu ResponseApdu::parse(ByteView raw) {
  if (raw.size() < 2) {
    throw Error(ErrorCode::malformed_input, "response APDU shorter than its 2-byte status word",
                "response APDU of " + std::to_string(raw.size()) + " bytes");
  }
  ResponseApdu r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = load_be16(raw, raw.size() - 2);
  return r;
}

Bytes ResponseApdu::encode() const {
  Bytes out = data;
  store_be16(out, sw);
  return out;
}

}  // namespace onshi::iso7816
