#include "report/batch_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/float16.hpp"
#include "export/gather.hpp"
#include "files/manifest/manifest.hpp"
#include "files/pool/row_runs.hpp"
#include "files/scores/scores_file.hpp"
#include "files/selection/selection_file.hpp"
#include "report/json_cells.hpp"
#include "report/object_sections.hpp"
#include "report/svg_chart.hpp"
#include "report/thumbnails.hpp"

namespace quarry::report {

namespace fs = std::filesystem;

namespace {

// The acquisition the histogram shows: the one the selection ranked by (its manifest's), else
// margin when it was computed (the default strategy's), else the first in the file.
std::string shown_acquisition(const score::ScoresMeta& meta, const fs::path& selection) {
  const auto has = [&](const std::string& name) {
    return std::find(meta.acquisitions.begin(), meta.acquisitions.end(), name) !=
           meta.acquisitions.end();
  };
  const auto settings = field(read_complete_manifest(selection), "settings");
  if (const auto used = field(settings, "acquisition");
      used.is_string() && has(used.get<std::string>()))
    return used.get<std::string>();
  if (has("margin")) return "margin";
  return meta.acquisitions.empty() ? std::string() : meta.acquisitions.front();
}

// The pre-label threshold the round's export used (its manifest beside the selection), else
// export's default.
double prelabel_threshold(const fs::path& selection) {
  const auto settings =
      field(read_complete_manifest(selection.parent_path() / "export"), "settings");
  const auto used = field(settings, "prelabel_min_confidence");
  return used.is_number() ? used.get<double>() : exporting::kDefaultPrelabelMinConfidence;
}

std::vector<double> class_shares(const std::vector<std::int32_t>& preds, std::size_t classes) {
  std::vector<double> shares(classes, 0.0);
  for (auto p : preds)
    if (p >= 0 && std::size_t(p) < classes) shares[std::size_t(p)] += 1;
  for (double& s : shares) s /= std::max<double>(double(preds.size()), 1.0);
  return shares;
}

}  // namespace

void add_batch_sections(HtmlPage& page, const fs::path& scores_path, const fs::path& selection_path,
                        fs::path pool, int thumbnails, int bins) {
  const auto scores = score::ScoresFile::open(scores_path);
  const auto& meta = scores.meta();
  const auto ids = scores.ids().read_all<std::uint64_t>();
  const auto pred = scores.pred().read_all<std::int32_t>();
  const auto selection = select::read_selection(selection_path);

  std::unordered_map<std::uint64_t, std::uint64_t> row_of;
  row_of.reserve(ids.size());
  for (std::uint64_t r = 0; r < ids.size(); ++r) row_of.emplace(ids[r], r);
  std::vector<std::uint64_t> rows;  // pick order
  for (auto id : selection.ids) {
    const auto it = row_of.find(id);
    if (it != row_of.end()) rows.push_back(it->second);
  }

  page.add_paragraph(fmt::format(
      "{} items scored by {} ({} rank(s)); {} selected by {} (seed {}, objective {:.4g}).",
      meta.count, fs::path(meta.model).filename().string(), meta.ranks, selection.ids.size(),
      selection.strategy, selection.seed, selection.objective));

  const auto acquisition = shown_acquisition(meta, selection_path);
  if (!acquisition.empty()) {
    const auto values = scores.score(acquisition).read_all<float>();
    std::vector<double> all(values.begin(), values.end()), picked;
    for (auto r : rows) picked.push_back(values[r]);
    page.add_section(
        fmt::format("Score histogram ({}; higher = more informative)", acquisition),
        histogram(all, picked, bins, "pool", "batch",
                  {acquisition, "share of items", 720, 300, AxisKind::real, AxisKind::share}));
  }

  if (pool.empty()) pool = meta.pool;
  if (meta.has_detections()) {
    std::vector<std::uint64_t> picked_ids;
    for (const auto r : rows) picked_ids.push_back(ids[r]);
    add_object_batch_sections(
        page, scores,
        {rows, picked_ids, pool, thumbnails, bins, prelabel_threshold(selection_path)});
    return;
  }
  std::vector<std::int32_t> batch_pred;
  for (auto r : rows) batch_pred.push_back(pred[r]);
  page.add_section(
      "Predicted-class mix: batch versus pool",
      bar_chart(meta.class_names,
                {{"pool", class_shares(pred, meta.classes)},
                 {"batch", class_shares(batch_pred, meta.classes)}},
                {"predicted class", "share of items", 720, 300, AxisKind::real, AxisKind::share}));

  std::vector<std::uint64_t> shown(
      rows.begin(),
      rows.begin() + std::min<std::ptrdiff_t>(std::ptrdiff_t(rows.size()), thumbnails));
  std::vector<std::uint64_t> sorted = shown;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const auto probs = pool::read_sorted_rows<Float16>(scores.probs(), sorted);
  std::vector<Thumbnail> items;
  for (auto r : shown) {
    const auto at = std::size_t(std::lower_bound(sorted.begin(), sorted.end(), r) - sorted.begin());
    const auto p = to_float32(probs[at * meta.classes + std::size_t(pred[r])]);
    const auto& name = pred[r] >= 0 && std::size_t(pred[r]) < meta.class_names.size()
                           ? meta.class_names[std::size_t(pred[r])]
                           : std::to_string(pred[r]);
    items.push_back({ids[r], r, fmt::format("{} {:.2f}", escape_html(name), p), {}});
  }
  std::string grid;
  if (fs::exists(pool))
    grid = thumbnail_grid(pool, items);
  else
    grid = "<p class=\"note\">The pool " + escape_html(pool.string()) +
           " is not reachable from here: no thumbnails.</p>\n";
  page.add_section(
      fmt::format("Selected items (first {} in pick order) with the model's prediction",
                  items.size()),
      grid);
}

}  // namespace quarry::report
