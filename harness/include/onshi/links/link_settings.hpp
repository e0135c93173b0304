#pragma once
// What a backend's parser made of its rig table, kept opaque to the rig: only the backend
// that parsed it reads it back (LinkChoice::settings_as<T>()).
#include <memory>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi::links {

struct LinkSettings {
  virtual ~LinkSettings() = default;
};

// One link of a rig as chosen: the backend's name, where the rig chose it, its settings.
struct LinkChoice {
  std::string kind;
  std::string where;  // "FILE:LINE: [reader]"
  std::shared_ptr<const LinkSettings> settings;

  template <class T>
  const T& settings_as() const {
    const T* typed = dynamic_cast<const T*>(settings.get());
    if (typed == nullptr) throw Error(ErrorCode::state, "link settings of another backend than '" + kind + "'", where);
    return *typed;
  }
};

}  // namespace onshi::links
