// The reader and the card it holds (docs/doctor.md, "Reader and card"): the reader link
// opened as a reception would open it, its identity and CCID class descriptor, then a card
// waited for and powered, its ATR read.
#include <cstdio>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/reader/ccid_card_reader.hpp"

namespace onshi::doctor::detail {
namespace {

std::string hex(ByteView bytes) {
  std::string out;
  char two[3];
  for (const auto b : bytes) {
    std::snprintf(two, sizeof two, "%02X", static_cast<unsigned>(b));
    out += two;
  }
  return out;
}

// What an install engineer checks for each kind of reader when it is not there.
std::string absent_reader_fix(const std::string& kind) {
  if (kind == "libusb") {
    return "plug the reader in, check `onshi-hil rig scan` lists it with the VID:PID of [reader] device, and that pcscd "
           "does not hold it (stop pcscd while the harness runs)";
  }
  if (kind == "usbip") {
    return "check the USB/IP server exports the reader (`usbip list -r HOST`) at the [reader] server and busid";
  }
  if (kind == "pcsc") return "check pcscd runs and lists the reader (`pcsc_scan`), and [reader] name";
  if (kind == "vpcd") return "check pcscd runs with vsmartcard-vpcd and listens at [reader] vpcd";
  return "check the [reader] table of the rig";
}

std::string descriptor_summary(const ccid::ClassDescriptor& d) {
  char text[256];
  std::snprintf(text, sizeof text,
                "CCID %x.%02x, %u slot(s), protocols%s%s, exchange level 0x%05X, max message %u bytes, max IFSD %u",
                static_cast<unsigned>(d.bcd_ccid >> 8), static_cast<unsigned>(d.bcd_ccid & 0xFF),
                static_cast<unsigned>(d.max_slot_index) + 1, (d.protocols & 1U) != 0 ? " T=0" : "",
                (d.protocols & 2U) != 0 ? " T=1" : "", static_cast<unsigned>(d.exchange_level()),
                static_cast<unsigned>(d.max_ccid_message_length), static_cast<unsigned>(d.max_ifsd));
  return text;
}

}  // namespace

void check_reader_and_card(Examination& exam) {
  const std::string where = "rig " + exam.rig.file.string() + " " + exam.rig.reader.where + " kind=" + exam.rig.reader.kind;
  const links::ReaderBackend* reader_backend = links::Registry<links::ReaderBackend>::instance().find(exam.rig.reader.kind);
  const links::CardBackend* card_backend = links::Registry<links::CardBackend>::instance().find(exam.rig.card.kind);
  if (reader_backend == nullptr || card_backend == nullptr) {
    exam.failed("reader.present", "this program has no backend for [reader] kind '" + exam.rig.reader.kind +
                                      "' or [card] kind '" + exam.rig.card.kind + "'",
                "use a kind `onshi-hil links` lists");
    return;
  }
  std::unique_ptr<links::ReaderLink> link;
  try {
    std::shared_ptr<iso7816::Icc> card;
    if (reader_backend->hosts_emulated_card) {
      if (!exam.pki || !exam.population) return;  // test_pki failed and said why
      const auto scenarios = flow::load_scenarios(
          exam.rig.scenario_catalogue.empty() ? flow::default_scenario_catalogue() : exam.rig.scenario_catalogue,
          *exam.population);
      const flow::Scenario& scenario = flow::find_scenario(scenarios, exam.rig.scenario);
      const links::CardOpenContext context{exam.population->patient(scenario.patient), *exam.pki, scenario.card,
                                           "rig " + exam.rig.file.string() + " " + exam.rig.card.where};
      card = card_backend->open(*exam.rig.card.settings, context);
    }
    link = reader_backend->open(*exam.rig.reader.settings, {std::move(card), where});
  } catch (const Error& e) {
    exam.failed("reader.present",
                "the reader ([reader] kind = \"" + exam.rig.reader.kind + "\") is not there: " + e.message() +
                    (e.context().empty() ? "" : " (" + e.context() + ")"),
                absent_reader_fix(exam.rig.reader.kind));
    return;
  }
  reader::CardReader& reader = link->reader();
  std::string identity = reader.name();
  if (auto* ccid_reader = dynamic_cast<reader::CcidCardReader*>(&reader)) {
    identity += ", " + ccid_reader->driver().transport().describe() + ", " +
                descriptor_summary(ccid_reader->driver().class_descriptor());
  }
  exam.ok("reader.present", "reader " + identity);

  try {
    if (!reader.wait_for_card(std::chrono::seconds(2))) {
      exam.failed("card.present", "no card in the reader " + reader.name(),
                  "put the test card into the reader (chip first, face up) and run the doctor again");
      return;
    }
    const Bytes atr = reader.connect();
    reader.disconnect();
    exam.ok("card.present", "a card answers in " + reader.name() + ", ATR " + hex(atr),
            {run::Measurement::of("atr", hex(atr)), run::Measurement::of("atr_bytes", static_cast<double>(atr.size()), "bytes")});
  } catch (const Error& e) {
    exam.failed("card.present", "the card in " + reader.name() + " does not answer: " + e.message(),
                "take the card out and put it in again; if it still does not answer, try another test card");
  }
}

}  // namespace onshi::doctor::detail
