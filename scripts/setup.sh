#!/usr/bin/env bash
# Installs the Debian packages onshi-hil builds and tests with. Idempotent: a second run
# installs nothing new. Needs root (or sudo) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config   # toolchain, CMake >= 3.25 with presets
  libssl-dev openssl                             # TLS, X.509, RSA: the test PKI, mock ONS, card signatures; openssl s_client in tests
  libboost-dev libboost-system-dev               # Boost.Asio/Beast: HTTPS client and mock ONS server
  libboost-filesystem-dev                        # Boost.Process (v1) in the testing library: child processes in tests and benches
  libpugixml-dev                                 # ONS XML messages
  libtomlplusplus-dev                            # rig files, fixtures and scenarios
  libcli11-dev                                   # the onshi-hil command line
  nlohmann-json3-dev                             # run records (JSON)
  libgtest-dev libgmock-dev                      # unit/integration/e2e tests
  libbenchmark-dev                               # benchmarks
  curl                                           # independent HTTPS client in integration tests
  libusb-1.0-0-dev                               # libusb host backend: physical CCID readers
  umockdev                                       # fakes sysfs/udev so the libusb backend's discovery is tested without hardware
  libumockdev-dev                                # umockdev's testbed API in-process: the libusb hot-plug (unplug/re-plug) test
  usbip                                          # `usbip list -r`: the kernel's own USB/IP tool as the independent peer of our server
  pcscd libpcsclite-dev vsmartcard-vpcd          # PC/SC middleware + vpcd driver: the PC/SC reader backend and the vpcd export tests
  nginx                                          # benches/ons: the reference mTLS server the mock ONS is measured against
  wrk                                            # benches/ons: the reference load client onshi-ons-load is measured against
  libxml2-utils                                  # xmllint: validates `run --junit` output against the JUnit schema, as a CI server reads it
  libxml2-dev                                    # libxml2: reference-sut/receipt-computer reads the harness's res/ and face/ files with it, not with the harness's codecs
  chromium                                       # headless browser: tests/e2e/optest loads optest's report.html and reads what it shows
  zlib1g-dev                                     # zlib deflate: HdrHistogram's V2 compressed histograms in `onshi-hil load`'s interval logs
  libhdrhistogram-java default-jre-headless      # HdrHistogram's own Java HistogramLogReader: the independent reader of our .hlog in tests/e2e/load
  libjs-chart.js                                 # Chart.js, inlined at build time into `onshi-hil load`'s offline report.html for its charts
  qemu-system-x86 linux-image-amd64 busybox-static opensc  # tests/vm: QEMU boots Debian's kernel (vhci-hcd module), busybox is the guest's shell, OpenSC's jpki driver reads the card in the guest
  sslscan                                        # independent TLS scanner: tests/integration/ons checks the mock's protocols, ciphers and renegotiation
  help2man                                       # the .deb's man page, generated from onshi-hil --help (cmake/OnshiPackaging.cmake)
)

# Fuzzing only (scripts/fuzz.sh calls `setup.sh --fuzz`), so the main job's setup stays lean.
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang-14 libclang-rt-14-dev)        # libFuzzer with ASan + UBSan: the `fuzz` preset
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
echo "setup: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
