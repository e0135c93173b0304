#pragma once
// A My Number Card in software: answers the APDUs of docs/domain/card.md from a CardFileSystem with
// the status words a real card gives, signs with real RSA (OpenSSL). One mutex per card, so
// a reader thread and a test thread may share it. Status-word choices where the sources leave
// room are listed in mocks/card/README.md.
#include <mutex>
#include <optional>
#include <set>

#include "onshi/iso7816/apdu.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/mocks/card/card_file_system.hpp"
#include "onshi/mocks/card/card_profile.hpp"
#include "onshi/mocks/card/card_state_file.hpp"

namespace onshi::mocks::card {

class VirtualMyNumberCard final : public iso7816::Icc {
 public:
  explicit VirtualMyNumberCard(CardFileSystem files, CardProfile profile = {});

  // Returns the profile's ATR; selection and verified PINs start empty, counters are kept.
  Bytes power_on() override;
  void power_off() override;
  // Throws Error(state) when the card is not powered (a real card would be mute); every
  // command, well-formed or not, is otherwise answered with a status word.
  Bytes transmit(ByteView command_apdu) override;

  // Between test cases: every PIN counter back to its maximum, selection and verified PINs
  // cleared. The power state is left as it is.
  void reset_for_fixture();

  const CardProfile& profile() const { return profile_; }
  bool powered() const;

  // Keeps the PIN counters in `file` from now on: loads what it holds (Error naming the file
  // when it is damaged) and writes every change before answering the command that made it.
  void keep_state_in(CardStateFile file);

 private:
  iso7816::ResponseApdu dispatch(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu select(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu select_application(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu select_ef(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu read_binary(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu verify(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu compute_signature(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu change_reference_data(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu get_challenge(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu terminal_authenticate(const iso7816::CommandApdu& command);
  iso7816::ResponseApdu check_terminal(ByteView certificate_and_signature);

  Application* current_application();
  void clear_volatile_state();
  bool persist_counters();  // false when the state file could not be written (called with mutex_ held)

  mutable std::mutex mutex_;
  const CardProfile profile_;
  CardFileSystem files_;  // persistent: contents and PIN counters
  std::optional<CardStateFile> state_file_;  // where the counters outlive the process
  // Volatile: lost on power off.
  bool powered_ = false;
  std::optional<std::size_t> current_application_;
  std::optional<FileId> current_ef_;
  std::set<FileId> verified_pins_;  // PIN EFs of the current application
  Bytes challenge_;                 // the last GET CHALLENGE answer, consumed by one 80 A2
  Bytes chained_data_;              // 80 A2 blocks received with the chaining bit set
  bool terminal_authenticated_ = false;
};

}  // namespace onshi::mocks::card
