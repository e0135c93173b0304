// onshi-hil report compare BASE NEW / report merge RUN... --out DIR (docs/load.md, "Comparing
// runs", "Merging and sharding"): the load runs' files read back, compared with a
// significance test, or merged exactly.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/load/load_compare.hpp"
#include "onshi/load/load_merge.hpp"

namespace onshi::cli {
namespace {

struct ReportOptions {
  std::string base;
  std::string current;
  double max_ratio = 1.25;
  double alpha = 0.01;
  double min_delta_ms = 1.0;
  std::vector<std::string> runs;
  std::string out = "load-merged";
};

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* report = app.add_subcommand("report", "Compare or merge load runs (onshi-hil load --out folders) and Google "
                                                  "Benchmark JSON files");
  report->require_subcommand(1);
  CLI::App* compare = report->add_subcommand(
      "compare", "Per metric the change from BASE to NEW with a one-sided Mann-Whitney U test; exit 1 only when a median "
                 "is significantly slower by more than --max-ratio. Warns when the rig fingerprints differ.");
  compare->add_option("BASE", options->base, "load run folder (or its summary.json), or Google Benchmark JSON")->required();
  compare->add_option("NEW", options->current, "the same kind as BASE")->required();
  compare->add_option("--max-ratio", options->max_ratio, "how much slower a median may be before it counts (default 1.25)")
      ->check(CLI::Range(1.0, 1000.0));
  compare->add_option("--min-delta-ms", options->min_delta_ms,
                      "load runs: a median slower by less than this is never a regression (default 1)")
      ->check(CLI::Range(0.0, 1e9));
  compare->add_option("--alpha", options->alpha, "significance level of the one-sided test (default 0.01)")
      ->check(CLI::Range(1e-9, 0.5));
  CLI::App* merge = report->add_subcommand(
      "merge", "Merge load runs exactly (histograms add slot by slot, counts add, intervals aligned by time) into --out, "
               "with summary.json, summary.md, report.html and histograms.hlog");
  merge->add_option("RUN", options->runs, "load run folders, e.g. the shards of one schedule")->required();
  merge->add_option("--out", options->out, "folder for the merged run (default: load-merged)");
  return [options, compare, merge]() {
    if (compare->parsed()) {
      const load::Comparison c = load::compare_runs(options->base, options->current, {options->max_ratio, options->alpha, options->min_delta_ms});
      std::cout << format_comparison(c);
      return c.regressed() ? exit_failed : exit_ok;
    }
    if (merge->parsed()) {
      load::merge_load_runs(std::vector<std::filesystem::path>(options->runs.begin(), options->runs.end()), options->out);
      std::cout << "merged " << options->runs.size() << " run(s) into " << options->out << " (summary.json, summary.md, "
                << "report.html, histograms.hlog)\n";
      return exit_ok;
    }
    return exit_usage;
  };
}

}  // namespace onshi::cli
