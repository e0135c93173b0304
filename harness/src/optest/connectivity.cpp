#include "onshi/optest/connectivity.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>

#include "onshi/core/clock.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/optest/rig_broken.hpp"
#include "onshi/population/population.hpp"
#include "onshi/population/search_inquiry_for.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::optest {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* p) const { freeaddrinfo(p); }
};

// A non-blocking connect bounded by poll(2): a filtered port must not hang the check.
std::string connect_one(const addrinfo& address, std::chrono::milliseconds timeout) {
  const int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0) return std::strerror(errno);
  std::string problem;
  if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      problem = std::strerror(errno);
    } else {
      pollfd p{fd, POLLOUT, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
      int error = 0;
      socklen_t length = sizeof error;
      if (ready == 0) {
        problem = "no answer within " + std::to_string(timeout.count()) + " ms";
      } else if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
        problem = std::strerror(errno);
      } else if (error != 0) {
        problem = std::strerror(error);
      }
    }
  }
  ::close(fd);
  return problem;
}

}  // namespace

void tcp_connect(const ons::OnsEndpoint& endpoint, std::chrono::milliseconds timeout) {
  const std::string where = HostPort{endpoint.host, endpoint.port}.to_string();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(endpoint.host.c_str(), std::to_string(endpoint.port).c_str(), &hints, &found); rc != 0) {
    throw RigBroken("cannot resolve " + where + ": " + gai_strerror(rc));
  }
  const std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(found);
  std::string problem = "no address";
  for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    problem = connect_one(*a, timeout);
    if (problem.empty()) return;
  }
  throw RigBroken("TCP connect to " + where + ": " + problem);
}

tls::TlsSessionInfo tls_handshake(const ons::OnsClientOptions& options) {
  tls::HttpsClient client(options.http);
  try {
    client.connect(options.endpoint.host, options.endpoint.port);
    tls::TlsSessionInfo session = client.session();
    client.close();
    return session;
  } catch (const Error& e) {
    throw RigBroken("TLS handshake with " + HostPort{options.endpoint.host, options.endpoint.port}.to_string() + ": " +
                    e.what());
  }
}

ons::QualificationResult search_inquiry(const ons::OnsClientOptions& options, const std::string& patient_id,
                                        const std::string& facility_code) {
  const population::Population population = population::load_population();
  const population::Patient& patient = population.patient(patient_id);
  const ons::QualificationSearchInquiry inquiry =
      population::search_inquiry_for(patient, facility_code, format_jst_date(std::chrono::system_clock::now()));
  ons::OnsClient client(options);
  try {
    return client.inquire(inquiry);
  } catch (const ons::OnsStatusError&) {
    throw;  // the ONS answered: a failed expectation, not a broken rig
  } catch (const Error& e) {
    if (is_rig_fault(e.code())) throw RigBroken(std::string("search inquiry: ") + e.what());
    throw;
  }
}

}  // namespace onshi::optest
