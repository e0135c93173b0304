#pragma once
// `fault` and `fault_after_exchanges` of an emulated reader link: the count without a fault
// is a mistake, not a no-op.
#include <initializer_list>
#include <string>
#include <string_view>

#include "onshi/links/link_table.hpp"

namespace onshi::mocks::reader {

inline void read_fault_keys(const links::LinkTable& t, std::initializer_list<std::string_view> faults,
                            std::string& fault, unsigned& after) {
  fault = t.one_of("fault", "none", faults);
  if (fault == "none" && t.has("fault_after_exchanges")) {
    t.fail("fault_after_exchanges", "set without a fault: add fault = \"pull-card\" (or another) or remove it");
  }
  after = static_cast<unsigned>(t.integer("fault_after_exchanges", 1, 1, 100000));
}

}  // namespace onshi::mocks::reader
