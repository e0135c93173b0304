// Command APDUs on the card side: the virtual My Number Card (mocks/card) answers every
// command with a status word, as a card would (iso7816/icc.hpp): it must never throw, and
// every answer carries at least SW1 SW2. Frames: 1-byte length + APDU, several per input.
#include <cstdio>
#include <cstdlib>

#include "../fuzz_support.hpp"
#include "../pki_once.hpp"
#include "onshi/mocks/card/patient_card.hpp"
#include "onshi/mocks/card/virtual_my_number_card.hpp"
#include "onshi/population/population.hpp"

namespace {

onshi::mocks::card::VirtualMyNumberCard& card() {
  static const std::shared_ptr<onshi::iso7816::Icc> icc = [] {
    const onshi::population::Population population = onshi::population::load_population();
    return onshi::mocks::card::make_patient_card(population.patient("P001"), onshi::fuzz::test_pki());
  }();
  return dynamic_cast<onshi::mocks::card::VirtualMyNumberCard&>(*icc);
}

}  // namespace

// The test PKI (a dozen RSA keys when it is not there yet) is made before the per-input timeout runs.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)card();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& c = card();
  c.reset_for_fixture();  // PIN counters back to full: every input starts from a fresh card
  c.power_on();
  onshi::fuzz::Frames frames(data, size);
  while (!frames.empty()) {
    const onshi::Bytes command = frames.next();
    onshi::Bytes response;
    try {
      response = c.transmit(command);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "the card threw on %s: %s\n", onshi::to_hex(command).c_str(), e.what());
      std::abort();
    }
    if (response.size() < 2) {
      std::fprintf(stderr, "the card answered %s without a status word\n", onshi::to_hex(command).c_str());
      std::abort();
    }
  }
  return 0;
}
