#include "onshi/rig/rig_config.hpp"

#include <cstdlib>

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::rig {
namespace {

bool all_digits(const std::string& s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

void require_one_of(const config::TomlReader& r, const toml::table& t, std::string_view key, const std::string& value,
                    std::initializer_list<std::string_view> supported) {
  for (std::string_view s : supported) {
    if (value == s) return;
  }
  std::string list;
  for (std::string_view s : supported) list += (list.empty() ? "" : ", ") + std::string(s);
  const toml::node* node = t.get(key);
  throw Error(ErrorCode::config, "'" + value + "' is not supported (supported: " + list + ")",
              node ? r.where(*node, key) : r.where(t));
}

RigConfig read(const config::TomlReader& r) {
  const toml::table& root = r.root();
  r.only_keys(root, {"name", "description", "scenario", "scenario_catalogue", "facility", "card", "reader", "ons",
                     "pki", "output"});
  RigConfig rig;
  rig.file = r.name();
  rig.name = r.required_string(root, "name");
  rig.description = r.optional_string(root, "description");
  rig.scenario = r.optional_string(root, "scenario", rig.scenario);
  rig.scenario_catalogue = r.optional_string(root, "scenario_catalogue");

  const toml::table& facility = r.required_table(root, "facility");
  r.only_keys(facility, {"code"});
  rig.facility_code = r.required_string(facility, "code");
  if (rig.facility_code.size() != 10 || !all_digits(rig.facility_code)) {
    r.fail(*facility.get("code"), "code", "a 医療機関コード is 10 digits, got '" + rig.facility_code + "'");
  }

  if (const toml::table* card = r.optional_table(root, "card")) {
    r.only_keys(*card, {"kind"});
    rig.card.kind = r.optional_string(*card, "kind", rig.card.kind);
    require_one_of(r, *card, "kind", rig.card.kind, {"virtual"});
  }
  if (const toml::table* reader = r.optional_table(root, "reader")) {
    r.only_keys(*reader,
                {"kind", "transport", "identity", "server", "busid", "device", "name", "protocol", "vpcd", "fault",
                 "fault_after_exchanges"});
    rig.reader.kind = r.optional_string(*reader, "kind", rig.reader.kind);
    require_one_of(r, *reader, "kind", rig.reader.kind, {"emulated", "usbip", "libusb", "pcsc"});
    if (rig.reader.kind != "emulated") rig.reader.transport = rig.reader.kind;
    rig.reader.transport = r.optional_string(*reader, "transport", rig.reader.transport);
    require_one_of(r, *reader, "transport", rig.reader.transport,
                   rig.reader.kind == "emulated" ? std::initializer_list<std::string_view>{"in-process", "usbip"}
                   : rig.reader.kind == "usbip"  ? std::initializer_list<std::string_view>{"usbip"}
                   : rig.reader.kind == "pcsc"   ? std::initializer_list<std::string_view>{"pcsc"}
                                                 : std::initializer_list<std::string_view>{"libusb"});
    if (rig.reader.kind == "libusb") rig.reader.device = r.required_string(*reader, "device");
    rig.reader.identity = r.optional_string(*reader, "identity", rig.reader.identity);
    if (rig.reader.kind == "pcsc") {
      rig.reader.name = r.optional_string(*reader, "name");
      rig.reader.protocol = r.optional_string(*reader, "protocol", rig.reader.protocol);
      require_one_of(r, *reader, "protocol", rig.reader.protocol, {"any", "t0", "t1"});
      rig.reader.vpcd = r.optional_string(*reader, "vpcd");
    }
    rig.reader.fault = r.optional_string(*reader, "fault", rig.reader.fault);
    // A card we export to vpcd can be pulled (its socket closed) mid-flow; nothing else can.
    require_one_of(r, *reader, "fault", rig.reader.fault,
                   rig.reader.kind == "emulated" ? std::initializer_list<std::string_view>{"none", "pull-card", "unplug"}
                   : rig.reader.kind == "pcsc" && !rig.reader.vpcd.empty()
                       ? std::initializer_list<std::string_view>{"none", "pull-card"}
                       : std::initializer_list<std::string_view>{"none"});
    const std::int64_t after = r.optional_int(*reader, "fault_after_exchanges", 1);
    if (after < 1 || after > 100000) r.fail(*reader->get("fault_after_exchanges"), "fault_after_exchanges", "must be 1..100000");
    rig.reader.fault_after_exchanges = static_cast<unsigned>(after);
    if (rig.reader.kind == "usbip") {
      rig.reader.server = r.required_string(*reader, "server");
      rig.reader.busid = r.required_string(*reader, "busid");
    }
  }
  if (const toml::table* ons = r.optional_table(root, "ons")) {
    r.only_keys(*ons, {"kind", "url", "server_ca", "client_cert", "client_key", "threads", "faults", "admin_port",
                       "interface_profile", "wire"});
    rig.ons.kind = r.optional_string(*ons, "kind", rig.ons.kind);
    require_one_of(r, *ons, "kind", rig.ons.kind, {"embedded-mock", "remote"});
    rig.ons.threads = static_cast<int>(r.optional_int(*ons, "threads", rig.ons.threads));
    if (rig.ons.threads < 1 || rig.ons.threads > 64) r.fail(*ons->get("threads"), "threads", "must be 1..64");
    rig.ons.faults = r.optional_string(*ons, "faults", "");
    rig.ons.admin_port = static_cast<int>(r.optional_int(*ons, "admin_port", rig.ons.admin_port));
    if (rig.ons.admin_port < -1 || rig.ons.admin_port > 65535) {
      r.fail(*ons->get("admin_port"), "admin_port", "must be -1 (off), 0 (any) or a port");
    }
    rig.ons.interface_profile = r.optional_string(*ons, "interface_profile", "");
    rig.ons.wire = r.optional_string(*ons, "wire", rig.ons.wire);
    require_one_of(r, *ons, "wire", rig.ons.wire, {"xml", "xml-sjis", "json"});
    if (rig.ons.kind == "remote") {
      rig.ons.url = r.required_string(*ons, "url");
      if (rig.ons.url.rfind("https://", 0) != 0) r.fail(*ons->get("url"), "url", "must start with https://");
      rig.ons.server_ca = r.required_string(*ons, "server_ca");
      rig.ons.client_cert = r.required_string(*ons, "client_cert");
      rig.ons.client_key = r.required_string(*ons, "client_key");
    }
  }
  if (const toml::table* pki = r.optional_table(root, "pki")) {
    r.only_keys(*pki, {"dir"});
    rig.pki_dir = r.optional_string(*pki, "dir");
  }
  rig.output_dir = "onshi-out";
  if (const toml::table* output = r.optional_table(root, "output")) {
    r.only_keys(*output, {"dir"});
    rig.output_dir = r.optional_string(*output, "dir", rig.output_dir.string());
  }
  return rig;
}

}  // namespace

RigConfig load_rig(const std::filesystem::path& file) { return read(config::TomlReader(file)); }

RigConfig parse_rig(std::string_view text, const std::string& name) { return read(config::TomlReader(text, name)); }

std::filesystem::path default_rig_file() { return config::rigs_dir() / "emulated.toml"; }

}  // namespace onshi::rig
