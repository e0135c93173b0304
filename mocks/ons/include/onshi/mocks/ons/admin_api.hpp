#pragma once
// The mock ONS's admin API, served as plain HTTP/1.1 on 127.0.0.1 only, on its own port
// (never on the ONS port, never on another address): tests and operators change faults at
// run time and read the journal.
//   GET    /faults            the installed fault plan (fault_plan.hpp JSON)
//   PUT    /faults            install a plan (body = JSON); 400 naming the bad key otherwise
//   DELETE /faults            remove every fault
//   GET    /journal?after=N   journal entries with sequence > N (journal_to_json)
//   GET    /stats             connection/handshake/request counters
#include <string>

#include "onshi/mocks/ons/fault_injector.hpp"
#include "onshi/mocks/ons/journal.hpp"

namespace onshi::mocks::ons {

struct OnsMockStats;

struct AdminReply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// {"error": message} with `status`; the message may quote peer bytes, which are made valid
// UTF-8 first (invalid sequences become U+FFFD).
AdminReply admin_error_reply(unsigned status, const std::string& message);

AdminReply handle_admin(const std::string& method, const std::string& target, const std::string& body,
                        FaultInjector& faults, const Journal& journal, const OnsMockStats& stats);

}  // namespace onshi::mocks::ons
