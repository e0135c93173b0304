#pragma once
// A rig file says which links of the reception chain are real and which are emulated
// (docs/architecture.md, "Links"). Parsed strictly: an unknown key or an unsupported backend is an error
// naming the file, line and key.
#include <filesystem>
#include <string>

namespace onshi::rig {

struct CardLink {
  std::string kind = "virtual";  // virtual: the scenario patient's virtual My Number Card
};

struct ReaderLink {
  std::string kind = "emulated";         // emulated: our CCID reader | usbip: a reader a USB/IP server exports
                                         // | libusb: a physical CCID reader on this host's USB
                                         // | pcsc: a reader pcscd offers (PC/SC middleware)
  std::string transport = "in-process";  // emulated: in-process | usbip (exported on loopback, imported back)
  std::string identity = "generic-ccid";  // emulated: rigs/readers/<identity>.toml
  std::string server;                     // usbip: HOST[:PORT] of the USB/IP server (port 3240 by default)
  std::string busid;                      // usbip: the exported device's busid, e.g. "1-1"
  std::string device;                     // libusb: "VID:PID" or "VID:PID:SERIAL" (hex ids)
  std::string name;                       // pcsc: substring of the PC/SC reader name ("" = the first reader)
  std::string protocol = "any";           // pcsc: any | t0 | t1
  std::string vpcd;                       // pcsc: HOST[:PORT] of ifd-vpcd; set = the rig exports the scenario's
                                          //   virtual card there itself and reads it back through pcscd
  std::string fault = "none";             // emulated: none | pull-card | unplug; pcsc + vpcd: none | pull-card
  unsigned fault_after_exchanges = 1;     // emulated / pcsc + vpcd: on this APDU exchange of the reception
};

struct OnsLink {
  std::string kind = "embedded-mock";  // embedded-mock | remote
  std::string url;                     // remote: https://HOST:PORT
  std::filesystem::path server_ca;     // remote: CA bundle that signs the server certificate
  std::filesystem::path client_cert;   // remote: the site's terminal certificate
  std::filesystem::path client_key;
  int threads = 2;                     // embedded-mock: server threads
  std::filesystem::path faults;        // embedded-mock: fault plan JSON installed at start ("" = none)
  int admin_port = -1;                 // embedded-mock: admin API on 127.0.0.1 (-1 off, 0 ephemeral)
  std::filesystem::path interface_profile;  // both: profile TOML, relative to the rig file ("" = built-in 2024.1);
                                            //   the embedded mock serves the same one
  std::string wire = "xml";            // both: how requests go: xml (UTF-8) | xml-sjis (Shift_JIS) | json
};

struct RigConfig {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::string scenario = "pin-ok";
  std::filesystem::path scenario_catalogue;  // empty: the shipped catalogue
  std::string facility_code;
  CardLink card;
  ReaderLink reader;
  OnsLink ons;
  std::filesystem::path pki_dir;     // empty: $ONSHI_TEST_PKI or the user cache
  std::filesystem::path output_dir;  // req/ res/ face/ go here
};

// Relative paths in the file are taken relative to the current working directory.
RigConfig load_rig(const std::filesystem::path& file);
RigConfig parse_rig(std::string_view text, const std::string& name);
// rigs/emulated.toml of the source tree (ONSHI_RIGS_DIR overrides the directory).
std::filesystem::path default_rig_file();

}  // namespace onshi::rig
