#pragma once
// The onshi-hil subcommands. Each registers its options on the app and returns the
// callback that runs it; the callback returns the process exit code.
#include <functional>

namespace CLI {
class App;
}

namespace onshi::cli {

using Command = std::function<int()>;

Command add_run_command(CLI::App& app);
Command add_pki_command(CLI::App& app);
Command add_mock_command(CLI::App& app);
Command add_scenarios_command(CLI::App& app);
Command add_emulate_command(CLI::App& app);
Command add_rig_command(CLI::App& app);
Command add_population_command(CLI::App& app);
Command add_links_command(CLI::App& app);
Command add_doctor_command(CLI::App& app);
Command add_optest_command(CLI::App& app);
Command add_evidence_command(CLI::App& app);
Command add_load_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_terminal_command(CLI::App& app);
Command add_receipt_command(CLI::App& app);
Command add_check_receipt_computer_command(CLI::App& app);

// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;       // the run ran and did not meet its expectation
inline constexpr int exit_usage = 2;        // bad command line, rig file, scenario or fixture
inline constexpr int exit_environment = 3;  // I/O, TLS, device: the harness could not do its job

}  // namespace onshi::cli
