#include "onshi/mocks/ons/serve.hpp"

#include <csignal>
#include <pthread.h>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"

namespace onshi::mocks::ons {

int serve_until_signalled(OnsMockOptions options, std::ostream& out, std::ostream& log,
                          const std::filesystem::path& journal_file) {
  // Block the stop signals before any server thread starts, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto sink = std::make_shared<StreamLogSink>(log);  // batched: flushed before our own lines
  options.log = sink;
  OnsMockServer server(std::move(options));
  server.start();
  out << "listening on " << server.url() << std::endl;
  if (server.admin_port() != 0) out << "admin on " << server.admin_url() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  sink->flush();
  log << "mock ONS: signal " << signal << ", stopping" << std::endl;
  server.stop();
  sink->flush();
  const OnsMockStats s = server.stats();
  log << "mock ONS: " << s.connections << " connections, " << s.handshakes << " handshakes, "
      << s.handshake_failures << " refused handshakes, " << s.requests << " requests (" << s.refused_requests
      << " refused)" << std::endl;
  if (!journal_file.empty()) {
    // Atomically: a kill while writing leaves the previous journal, never half of this one.
    try {
      write_file_atomically(journal_file, journal_to_json(server.journal().entries()) + '\n');
    } catch (const Error& e) {
      log << "mock ONS: cannot write journal: " << e.what() << std::endl;
      return 1;
    }
  }
  return 0;
}

}  // namespace onshi::mocks::ons
