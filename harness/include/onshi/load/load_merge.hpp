#pragma once
// `onshi-hil report merge A B ... --out DIR` (docs/load.md, "Merging and sharding"): load runs
// (each a folder with summary.json and histograms.hlog, e.g. the shards of one schedule run on
// several machines) put together exactly. Histograms add slot by slot, so the merged
// percentiles are those of all receptions together, not an average of percentiles; counts,
// errors by reason and arrivals add; intervals are aligned by their absolute start times.
// The merged folder holds the same files as a run: histograms.hlog, summary.json (its
// thresholds judged again on the merged figures), summary.md and report.html.
#include <filesystem>
#include <vector>

namespace onshi::load {

// Throws Error naming the folder and file that is missing or malformed, or runs whose
// histograms have different ranges.
void merge_load_runs(const std::vector<std::filesystem::path>& runs, const std::filesystem::path& out);

}  // namespace onshi::load
