#include "onshi/sut/launch_spec.hpp"

namespace onshi::sut {

std::string ReadyCondition::describe() const {
  switch (kind) {
    case Kind::file:
      return "ready = { file = \"" + file.string() + "\" }";
    case Kind::port:
      return "ready = { port = " + std::to_string(port) + " }";
    case Kind::stdout_match:
      return "ready = { stdout = \"" + stdout_pattern + "\" }";
    case Kind::started:
      break;
  }
  return "ready when started";
}

}  // namespace onshi::sut
