#pragma once
// A rig file turned into running parts. It owns what every reception shares — the test PKI,
// the synthetic population, the scenario catalogue, the ONS link and its client, the output
// link — and per reception opens the card and reader links the scenario needs. Which backend
// sits behind each link is the registries' business (onshi/links), not the rig's.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/run/event_sink.hpp"

namespace onshi::rig {

struct WireOverrides {
  std::optional<std::filesystem::path> pki_dir;
  std::optional<std::filesystem::path> output_dir;
  // A generated population (`onshi-hil population generate`) whose patients join the shipped
  // ones, for the mock ONS and for scenario_for_patient (population/patient_resolver.hpp).
  std::optional<std::filesystem::path> population;
};

class WiredRig {
 public:
  // Starts what the rig needs (PKI made or reused, an embedded mock listening on loopback).
  // Throws Error naming the rig file and the link that could not be set up.
  static std::unique_ptr<WiredRig> wire(const RigConfig& config, const WireOverrides& overrides = {});
  ~WiredRig();
  WiredRig(const WiredRig&) = delete;
  WiredRig& operator=(const WiredRig&) = delete;

  const RigConfig& config() const;
  const std::vector<flow::Scenario>& scenarios() const;
  const flow::Scenario& scenario(const std::string& name) const;
  // `scenario` played by `patient_id`, any patient with a card in the rig's PKI: its expected
  // QualificationValidity, if it names one, becomes what the ONS answers for that patient.
  // Throws Error naming the id and the population file (unknown, or without a card).
  flow::Scenario scenario_for_patient(const flow::Scenario& scenario, const std::string& patient_id) const;
  // The first `count` patients of the generated population with a card: one per load reader.
  std::vector<std::string> generated_patients_with_cards(std::size_t count) const;
  std::string ons_endpoint() const;
  // How the client talks to it: "<wire>, interface profile <version>".
  std::string ons_wire() const;
  std::filesystem::path pki_dir() const;
  // For programs that talk to the ONS themselves (onshi-hil terminal): the client options the
  // rig's ONS link configured, the result folder's root, and [output] encoding.
  ons::OnsClientOptions ons_client_options() const;
  std::filesystem::path output_root() const;
  ons::TextEncoding output_encoding() const;
  // What the ONS side journaled after a mark (an embedded mock's journal; other ONS links keep
  // none and give nothing), for checks that talk to the ONS themselves (optest's information
  // viewing: which PC asked).
  std::uint64_t ons_journal_mark() const;
  std::vector<flow::OnsJournalEntry> ons_journal_after(std::uint64_t mark) const;

  // One reception: a fresh card for the scenario's patient in a freshly opened reader link.
  // `events` (may be null) sees the reception's phases as they run.
  flow::RunRecord run(const flow::Scenario& scenario, run::EventSink* events = nullptr);

  // Asked before a physical card's last PIN try is spent (the operational test's prompt); unset,
  // a physical card's last try is never spent. Virtual cards are not asked (docs/optest.md).
  void on_last_pin_try(std::function<bool(const std::string& question)> ask);

 private:
  struct Impl;
  explicit WiredRig(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// $ONSHI_TEST_PKI, else $XDG_CACHE_HOME/onshi-hil/test-pki, else ~/.cache/onshi-hil/test-pki.
std::filesystem::path default_pki_dir();

}  // namespace onshi::rig
