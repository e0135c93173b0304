#pragma once
// One backend table per link kind (reader, card, ONS, output), in the spirit of libusb's
// backend table: each entry is {name, what it is, the rig keys it takes, parse, open}. A
// backend registers itself from its own file (ONSHI_REGISTER_LINK_BACKEND), the rig only
// looks names up, so a new backend is one new file and no edit elsewhere
// (docs/architecture.md, "Links").
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/core/error.hpp"

namespace onshi::links {

template <class Backend>
class Registry {
 public:
  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  // Throws Error(state) when the name is taken: two backends must not answer to one kind.
  void add(Backend backend) {
    std::lock_guard lock(mutex_);
    const std::string name = backend.name;
    if (!backends_.emplace(name, std::make_shared<const Backend>(std::move(backend))).second) {
      throw Error(ErrorCode::state, "two " + std::string(Backend::link) + " backends are named '" + name + "'");
    }
  }

  const Backend* find(std::string_view name) const {
    std::lock_guard lock(mutex_);
    const auto it = backends_.find(std::string(name));
    return it == backends_.end() ? nullptr : it->second.get();
  }

  std::vector<std::string> names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [name, backend] : backends_) out.push_back(name);
    return out;
  }

  std::vector<std::shared_ptr<const Backend>> backends() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<const Backend>> out;
    for (const auto& [name, backend] : backends_) out.push_back(backend);
    return out;
  }

 private:
  Registry() = default;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Backend>, std::less<>> backends_;
};

// "a, b, c" of the registered names, for error messages that list what would have worked.
template <class Backend>
std::string known_names() {
  std::string list;
  for (const std::string& name : Registry<Backend>::instance().names()) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "none registered: link onshi_links_builtin" : list;
}

}  // namespace onshi::links

#define ONSHI_LINK_CONCAT_INNER(a, b) a##b
#define ONSHI_LINK_CONCAT(a, b) ONSHI_LINK_CONCAT_INNER(a, b)

// At namespace scope in a backend's .cpp: ONSHI_REGISTER_LINK_BACKEND(ReaderBackend, make_backend());
// The library holding it is linked whole (onshi_link_backend_library in CMake), so the
// registration runs even though nothing refers to the file.
#define ONSHI_REGISTER_LINK_BACKEND(BackendType, ...)                                       \
  namespace {                                                                              \
  const bool ONSHI_LINK_CONCAT(onshi_link_registered_, __LINE__) =                         \
      (::onshi::links::Registry<BackendType>::instance().add(__VA_ARGS__), true);           \
  }
