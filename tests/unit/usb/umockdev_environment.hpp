#pragma once
// The environment for a child of this test binary run under umockdev (umockdev-wrapper or
// umockdev-run), which puts libumockdev-preload.so first in LD_PRELOAD. An AddressSanitizer
// build (the `debug` preset, scripts/sanitize.sh) then refuses to start: "ASan runtime does
// not come first in initial library list". Here the order is harmless, so the check is off for
// that child only (verify_asan_link_order=0): ASan initialises from the executable's
// .preinit_array before any preloaded library's code runs, umockdev's library defines no
// allocator (every malloc/free is still ASan's), and the calls it wraps (open, ioctl, read,
// ...) reach the next definition, ASan's interceptor, through dlsym(RTLD_NEXT). A build
// without ASan ignores ASAN_OPTIONS.
#include <cstdlib>
#include <string>

#include "onshi/testing/process.hpp"

namespace onshi::usb {

inline onshi::testing::Environment umockdev_child_environment(onshi::testing::Environment environment) {
  std::string asan_options = "verify_asan_link_order=0";
  if (const char* inherited = std::getenv("ASAN_OPTIONS"); inherited != nullptr && *inherited != '\0') {
    asan_options = std::string(inherited) + ":" + asan_options;
  }
  environment.emplace_back("ASAN_OPTIONS", asan_options);
  return environment;
}

}  // namespace onshi::usb
