// Every ONS message decoder (harness/ons) on one wire syntax, chosen at build time:
// ONSHI_FUZZ_WIRE_UTF8 (XML in UTF-8), ONSHI_FUZZ_WIRE_SJIS (XML in Shift_JIS: the input is
// the document after a Shift_JIS declaration), ONSHI_FUZZ_WIRE_JSON ({"XmlMsg":{…}}). The
// body goes through the wire layer to canonical XML, then to every decoder. What a decoder
// accepts the encoders must write again and the decoder read back: a decoded string the
// encoder refuses (&#xD800;, found this way) is a finding, so that aborts.
#include <cstdio>
#include <cstdlib>

#include "../fuzz_support.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace {

using namespace onshi::ons;

template <class Decode>
void decode_and_write_again(const std::string& xml, const char* what, Decode&& decode) {
  std::string encoded;
  try {
    encoded = encode_xml(decode(xml));
  } catch (const onshi::Error& e) {
    // Refused by the decoder (malformed_input): fine. By the encoder after decoding: not.
    if (e.code() == onshi::ErrorCode::malformed_input) return;
    std::fprintf(stderr, "%s: decoded, then the encoder refused it: %s\n", what, e.what());
    std::abort();
  }
  try {
    (void)decode(encoded);
    (void)xml_to_json(encoded);
  } catch (const onshi::Error& e) {
    std::fprintf(stderr, "%s: our own encoding does not decode again: %s\n", what, e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(onshi::fuzz::as_text(data, size));
#if defined(ONSHI_FUZZ_WIRE_JSON)
  const WireSyntax syntax = WireSyntax::json;
#else
  const WireSyntax syntax = WireSyntax::xml;
#endif
#if defined(ONSHI_FUZZ_WIRE_SJIS)
  body = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>" + body;
#endif
  CanonicalMessage canonical;
  try {
    canonical = to_canonical(body, syntax, default_interface_profile().inbound);
  } catch (const onshi::Error&) {
    return 0;
  }
  const std::string& xml = canonical.xml;
  decode_and_write_again(xml, "card inquiry", [](const std::string& x) { return decode_card_inquiry(x); });
  decode_and_write_again(xml, "search inquiry", [](const std::string& x) { return decode_search_inquiry(x); });
  decode_and_write_again(xml, "result", [](const std::string& x) { return decode_result(x); });
  for (const InformationKind kind : {InformationKind::medication, InformationKind::checkup}) {
    decode_and_write_again(xml, "information request",
                           [kind](const std::string& x) { return decode_information_request(x, kind); });
    decode_and_write_again(xml, "information result",
                           [kind](const std::string& x) { return decode_information_result(x, kind); });
  }
  decode_and_write_again(xml, "bulk inquiry", [](const std::string& x) { return decode_bulk_inquiry(x); });
  decode_and_write_again(xml, "bulk fetch", [](const std::string& x) { return decode_bulk_fetch(x); });
  decode_and_write_again(xml, "bulk result", [](const std::string& x) { return decode_bulk_result(x); });
  // The answer goes back the way it came: canonical → wire must not throw anything but Error.
  onshi::fuzz::refusal_is_fine([&] { (void)from_canonical(xml, canonical.format, default_interface_profile().outbound); });
  return 0;
}
