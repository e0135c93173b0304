// onshi-hil emulate reader --usbip HOST:PORT | emulate card --vpcd HOST:PORT: exports the
// emulated reader (holding a patient's virtual My Number Card) over USB/IP, or the virtual
// card to pcscd's vpcd driver, so an operating system, a vendor terminal app or any PC/SC
// application can use them. Prints what is served and the patient's synthetic test PIN.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/population/patient_resolver.hpp"
#include "onshi/population/population.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/mocks/reader/vpcd_client.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/mocks/card/patient_card.hpp"
#include "onshi/rig/cards_in_pki.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/usb/usbip_protocol.hpp"

namespace onshi::cli {
namespace {

struct EmulateOptions {
  std::string pki_dir;
  std::string patient;
  std::string population;  // a generated population whose patients --patient may name
  std::string usbip = "127.0.0.1:3240";
  std::string identity = "generic-ccid";
  std::string vpcd = "127.0.0.1:35963";
  std::string card_state;  // the card's PIN counters between runs (mocks/card card_state_file.hpp)
};

struct PatientCard {
  std::shared_ptr<iso7816::Icc> card;
  std::string patient_id;
  std::string pin;
};

PatientCard load_card(const EmulateOptions& options) {
  const std::filesystem::path pki_dir = options.pki_dir.empty() ? rig::default_pki_dir() : std::filesystem::path(options.pki_dir);
  const pki::TestPki test_pki = pki::ensure_test_pki(pki_dir);
  const population::PatientResolver patients(options.population.empty() ? std::nullopt
                                                                         : std::optional<std::filesystem::path>(options.population));
  if (patients.population().patients.empty()) throw Error(ErrorCode::config, "the synthetic population has no patients");
  const population::Patient& patient = options.patient.empty() ? patients.population().patients.front()
                                                               : patients.resolve(options.patient, rig::cards_in(test_pki));
  mocks::card::PatientCardOptions card_options;
  card_options.state_file = options.card_state;
  return {mocks::card::make_patient_card(patient, test_pki, card_options), patient.id, patient.auth_pin};
}

void print_card(const PatientCard& c) {
  // The PIN is synthetic test data, printed so a person at the attached terminal can type it.
  std::cout << "card:    virtual My Number Card of synthetic patient " << c.patient_id << "\n"
            << "test PIN (利用者証明用, synthetic): " << c.pin << "\n";
}

sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

int emulate_reader(const EmulateOptions& options) {
  // Arguments first, so a typo fails before the test PKI is made or loaded.
  mocks::reader::UsbipServerOptions server_options;
  server_options.listen = parse_host_port(options.usbip, usb::usbip::default_port);
  auto device = std::make_shared<mocks::reader::EmulatedCcidReader>(
      mocks::reader::reader_identity_by_name(options.identity));
  sigset_t stop_signals = block_stop_signals();
  const PatientCard card = load_card(options);
  device->insert_card(card.card);
  mocks::reader::UsbipServer server(device, server_options);
  server.start();
  const auto& id = device->identity();
  char vidpid[16];
  std::snprintf(vidpid, sizeof vidpid, "%04x:%04x", id.vendor_id, id.product_id);
  std::cout << "serving: emulated CCID reader '" << id.product << "' " << vidpid << " serial " << id.serial_number
            << " (identity " << id.name << ")\n"
            << "usbip:   " << server_options.listen.host << ":" << server.port() << " busid "
            << server_options.busid << "  (usbip --tcp-port " << server.port() << " list -r "
            << server_options.listen.host << "; usbip attach -r HOST -b " << server_options.busid << ")\n";
  print_card(card);
  std::cout << "stop with Ctrl-C" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  std::cout << "stopped after " << server.urbs_handled() << " URBs" << std::endl;
  return exit_ok;
}

int emulate_card(const EmulateOptions& options) {
  const HostPort vpcd = parse_host_port(options.vpcd, mocks::reader::vpcd_default_port);
  const PatientCard card = load_card(options);
  mocks::reader::VpcdClient client(card.card, vpcd);
  // Handlers before the banner: whoever reads "serving" may stop us at once.
  static std::atomic<bool> stop{false};
  std::signal(SIGINT, [](int) { stop = true; });
  std::signal(SIGTERM, [](int) { stop = true; });
  std::cout << "serving: virtual card to vpcd at " << vpcd.to_string() << " (pcscd reader 'Virtual PCD')\n";
  print_card(card);
  std::cout << "runs until pcscd closes the slot or Ctrl-C" << std::endl;
  client.serve(stop);
  std::cout << "stopped after " << client.stats().apdus << " APDUs" << std::endl;
  return exit_ok;
}

}  // namespace

Command add_emulate_command(CLI::App& app) {
  auto options = std::make_shared<EmulateOptions>();
  CLI::App* emulate = app.add_subcommand("emulate", "Export an emulated link so other software can use it.");
  emulate->require_subcommand(1);
  CLI::App* reader = emulate->add_subcommand(
      "reader", "Serve the emulated CCID reader, holding a patient's virtual My Number Card, over USB/IP\n"
                "(Linux `usbip attach`, usbip-win). Stops on SIGINT/SIGTERM.");
  reader->add_option("--usbip", options->usbip, "HOST:PORT to listen on (loopback by default)")->capture_default_str();
  reader->add_option("--identity", options->identity, "reader identity from rigs/readers/")->capture_default_str();
  CLI::App* card = emulate->add_subcommand(
      "card", "Connect the virtual My Number Card to pcscd's vpcd driver (vsmartcard), so any PC/SC\n"
              "application sees it in the reader 'Virtual PCD'.");
  card->add_option("--vpcd", options->vpcd, "HOST:PORT where ifd-vpcd listens")->capture_default_str();
  for (CLI::App* sub : {reader, card}) {
    sub->add_option("--patient", options->patient,
                    "synthetic patient id with a card in the PKI (default: the first shipped one); a generated one\n"
                    "with --population");
    sub->add_option("--population", options->population,
                    "a generated population (`onshi-hil population generate`) whose patients --patient may name;\n"
                    "their cards come from `onshi-hil pki --population FILE --card-certs N|all`");
    sub->add_option("--pki", options->pki_dir, "test-PKI directory (default: $ONSHI_TEST_PKI or the user cache)");
    sub->add_option("--card-state", options->card_state,
                    "JSON file keeping the card's PIN try counters between runs (made when missing)");
  }
  return [options, reader]() { return reader->parsed() ? emulate_reader(*options) : emulate_card(*options); };
}

}  // namespace onshi::cli
