#pragma once
// The named plug instances a plan binds ("reader", "ons", "results", ...) and phases ask for,
// in the spirit of OpenHTF's plugs: a phase never knows which backend sits behind a name.
#include <any>
#include <map>
#include <string>
#include <string_view>

#include "onshi/core/error.hpp"

namespace onshi::run {

class Plugs {
 public:
  // Binds `name` to `instance`, which must outlive every run that uses these plugs.
  template <class T>
  Plugs& bind(std::string name, T& instance) {
    bound_[std::move(name)] = &instance;
    return *this;
  }
  bool has(std::string_view name) const { return bound_.find(name) != bound_.end(); }

  // The instance bound as `name`; Error(config) naming the plug when it is missing or was
  // bound as another type (the executor checks presence before a phase runs).
  template <class T>
  T& get(std::string_view name) const {
    const auto it = bound_.find(name);
    if (it == bound_.end()) throw Error(ErrorCode::config, "plug is not bound by the plan", std::string(name));
    if (T* const* instance = std::any_cast<T*>(&it->second)) return **instance;
    throw Error(ErrorCode::config, "plug is bound as another type than the phase asks for", std::string(name));
  }

 private:
  std::map<std::string, std::any, std::less<>> bound_;
};

}  // namespace onshi::run
