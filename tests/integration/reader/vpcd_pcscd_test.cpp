// The card exported through vsmartcard's vpcd to a real pcscd, used by a PC/SC application
// (this test, through libpcsclite): SCardListReaders sees "Virtual PCD", the card's ATR and
// APDUs cross vpcd's framing. pcscd hard-codes /run/pcscd and vpcd listens on port 35963, so
// the test re-runs itself in a private mount + network namespace (`unshare -m -n`), where it
// mounts a tmpfs on /run/pcscd and starts its own pcscd. Skipped, with the reason, when
// pcscd, ifd-vpcd or namespaces are unavailable.
#include <PCSC/winscard.h>
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <csignal>
#include <string>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/vpcd_client.hpp"
#include "onshi/testing/private_pcscd.hpp"
#include "onshi/testing/sized_answer_icc.hpp"

namespace onshi::mocks::reader {
namespace {

using namespace std::chrono_literals;

// Inside the namespace: our own pcscd with only the vpcd reader, our card on its socket.
void run_inside_namespace() {
  onshi::testing::PrivatePcscd pcscd;
  ASSERT_TRUE(pcscd.running()) << pcscd.failure();
  auto card = std::make_shared<onshi::testing::SizedAnswerIcc>();
  VpcdClient client(card, {"127.0.0.1", vpcd_default_port});
  std::atomic<bool> stop{false};
  std::string client_error;
  std::thread serving([&] {
    try {
      client.serve(stop, 10s);
    } catch (const std::exception& e) {
      client_error = e.what();
    }
  });

  SCARDCONTEXT context = 0;
  LONG rc = SCARD_E_NO_SERVICE;
  for (int i = 0; i < 100 && rc != SCARD_S_SUCCESS; ++i) {  // pcscd starting: up to 10 s
    rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
    if (rc != SCARD_S_SUCCESS) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(rc, SCARD_S_SUCCESS) << pcsc_stringify_error(rc);
  std::string reader;
  if (rc == SCARD_S_SUCCESS) {
    for (int i = 0; i < 100 && reader.empty(); ++i) {
      char names[1024];
      DWORD length = sizeof names;
      if (SCardListReaders(context, nullptr, names, &length) == SCARD_S_SUCCESS) reader = names;
      if (reader.empty()) std::this_thread::sleep_for(100ms);
    }
    EXPECT_NE(reader.find("Virtual PCD"), std::string::npos) << reader;
    SCARD_READERSTATE state{};
    state.szReader = reader.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    for (int i = 0; i < 50 && (state.dwEventState & SCARD_STATE_PRESENT) == 0; ++i) {
      SCardGetStatusChange(context, 200, &state, 1);
      state.dwCurrentState = state.dwEventState;
    }
    EXPECT_NE(state.dwEventState & SCARD_STATE_PRESENT, 0u) << "vpcd never saw the card";
    SCARDHANDLE handle = 0;
    DWORD protocol = 0;
    rc = SCardConnect(context, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle,
                      &protocol);
    EXPECT_EQ(rc, SCARD_S_SUCCESS) << pcsc_stringify_error(rc);
    if (rc == SCARD_S_SUCCESS) {
      std::array<BYTE, 64> atr{};
      DWORD atr_length = atr.size();
      DWORD reader_state = 0;
      DWORD status_protocol = 0;
      EXPECT_EQ(SCardStatus(handle, nullptr, nullptr, &reader_state, &status_protocol, atr.data(), &atr_length),
                SCARD_S_SUCCESS);
      EXPECT_EQ(Bytes(atr.begin(), atr.begin() + atr_length), card->atr);
      const Bytes command = from_hex("00B0000010");
      std::array<BYTE, 300> response{};
      DWORD response_length = response.size();
      const SCARD_IO_REQUEST* pci = protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
      rc = SCardTransmit(handle, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, response.data(),
                         &response_length);
      EXPECT_EQ(rc, SCARD_S_SUCCESS) << pcsc_stringify_error(rc);
      EXPECT_EQ(response_length, 18u);
      EXPECT_EQ(card->last_command, command);
      SCardDisconnect(handle, SCARD_UNPOWER_CARD);
    }
    SCardReleaseContext(context);
  }
  stop = true;
  pcscd.stop(SIGTERM);
  serving.join();
  EXPECT_TRUE(client_error.empty()) << client_error;
  EXPECT_GE(client.stats().apdus, 1u);
}

TEST(VpcdPcscd, PcscApplicationUsesTheVirtualCard) {
  if (onshi::testing::inside_private_namespace()) {
    run_inside_namespace();
    return;
  }
  if (const std::string why = onshi::testing::private_pcscd_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  EXPECT_TRUE(onshi::testing::rerun_current_test_in_private_namespace(std::chrono::seconds(60)));
}

}  // namespace
}  // namespace onshi::mocks::reader
