#pragma once
// The receipt computer's side of a load run (docs/load.md, "A receipt computer under load"):
// the rig's [sut] started once before the first arrival and stopped after the last, the
// harness's terminal answering the SUT's requests in req/ all the while, and each face file a
// reception delivers watched until the SUT took it up. The question it answers: does this
// receipt computer keep up with a morning rush, and how long does a result lie in face/?
//
// Every reader of the run delivers into the one set of shared folders (`wired`'s [output]),
// since the SUT watches one. The watching is on a thread of its own: the reader is free once
// the file is delivered (the patient has left the counter), so a slow receipt computer shows
// as a long face_taken_up, never as readers held up and the generator behind. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/load/sut_outcome.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::receipt_computer_check {

class ReceiptComputerUnderLoad {
 public:
  // Called on the watching thread for each watched file: how long it lay in face/, whether
  // the SUT took it up in time, and why not ("face/… was left lying: …", "… ended mid-run: …").
  using TakenUp = std::function<void(Duration took, bool taken, const std::string& why_not)>;

  // Opens the rig's [sut] (Error(config) when the rig has none) over `wired`'s folders and ONS.
  ReceiptComputerUnderLoad(const rig::RigConfig& config, const rig::WiredRig& wired, TakenUp taken_up,
                           std::chrono::milliseconds settle = std::chrono::milliseconds(500));
  ~ReceiptComputerUnderLoad();  // stops the watcher, the terminal and the SUT when finish() was not called
  ReceiptComputerUnderLoad(const ReceiptComputerUnderLoad&) = delete;
  ReceiptComputerUnderLoad& operator=(const ReceiptComputerUnderLoad&) = delete;

  // Starts the terminal, then the SUT until it is ready, then the watcher; throws Error
  // naming why the SUT is not ready.
  void start();
  std::string describe() const;
  std::chrono::milliseconds consume_deadline() const;
  // Files in face/ and res/ now: before start(), what an earlier run left there.
  std::int64_t files_lying() const;

  // Watches `face_file`, delivered just now, until the SUT takes it up (moves or deletes it)
  // or consume_deadline_ms passes; the verdict goes to the TakenUp callback.
  void watch(const std::filesystem::path& face_file);

  // Waits for every watched file's verdict and for the SUT to take up what it still has to
  // (answers in res/), reads the terminal's and the SUT's journals, stops the SUT and says how
  // it all went. Call once, after the last reception.
  load::SutOutcome finish();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace onshi::receipt_computer_check
