#include "harness_terminal.hpp"

#include "onshi/core/host_port.hpp"

namespace onshi::receipt_computer_check {

links::SutOpenContext sut_open_context(const rig::RigConfig& config, const rig::WiredRig& wired) {
  return {wired.output_root(), wired.pki_dir(), std::filesystem::absolute(config.file).parent_path(),
          "rig " + config.file.string() + " " + config.sut.where};
}

std::unique_ptr<terminal::TerminalService> harness_terminal(const rig::RigConfig& config, const rig::WiredRig& wired,
                                                            ons::OnsClient& ons, const ons::OnsClientOptions& client,
                                                            std::chrono::milliseconds settle) {
  terminal::TerminalOptions options;
  options.root = wired.output_root();
  options.facility_code = config.facility_code;
  options.answer_encoding = wired.output_encoding();
  options.settle = settle;
  options.ons_endpoint = "https://" + HostPort{client.endpoint.host, client.endpoint.port}.to_string();
  return std::make_unique<terminal::TerminalService>(options, ons);
}

}  // namespace onshi::receipt_computer_check
