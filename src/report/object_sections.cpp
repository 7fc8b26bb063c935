#include "report/object_sections.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/float16.hpp"
#include "files/pool/schema.hpp"
#include "files/scores/row_detections.hpp"
#include "files/scores/scores_file.hpp"
#include "report/object_overlay.hpp"
#include "report/svg_chart.hpp"
#include "report/thumbnails.hpp"

namespace quarry::report {

namespace fs = std::filesystem;

namespace {

// Every detection of the pool: confidence and label (6 bytes each, read whole).
struct PoolDetections {
  std::vector<double> confidence;
  std::vector<std::int32_t> labels;
};

PoolDetections read_pool_detections(const score::ScoresFile& scores) {
  PoolDetections all;
  const auto half = scores.file().open_dataset(score::kDetectionConfidence).read_all<Float16>();
  for (const Float16 value : half) all.confidence.push_back(to_float32(value));
  all.labels = scores.file().open_dataset(score::kDetectionLabels).read_all<std::int32_t>();
  return all;
}

// Each class's share of the detections at or above the pre-label threshold. Detections, not
// objects: merging duplicate boxes needs every box of the pool, and the comparison of batch and
// pool is fair as long as both count the same way.
std::vector<double> class_shares(const std::vector<std::int32_t>& labels,
                                 const std::vector<double>& confidence, double threshold,
                                 std::size_t classes) {
  std::vector<double> shares(classes, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (confidence[i] < threshold || labels[i] < 0 || std::size_t(labels[i]) >= classes) continue;
    shares[std::size_t(labels[i])] += 1;
    total += 1;
  }
  for (double& s : shares) s /= std::max(total, 1.0);
  return shares;
}

// The batch's detections, flattened in pick order.
PoolDetections batch_detections(const score::RowDetections& d,
                                const std::vector<std::uint64_t>& rows) {
  PoolDetections batch;
  for (const auto row : rows) {
    const auto at = d.at(row);
    for (auto i = d.first[at]; i < d.first[at] + d.count[at]; ++i) {
      batch.confidence.push_back(d.confidence[i]);
      batch.labels.push_back(d.labels[i]);
    }
  }
  return batch;
}

std::vector<DrawnDetection> prelabels_of(const score::RowDetections& d, std::uint64_t row,
                                         std::size_t keypoints, double threshold) {
  std::vector<DrawnDetection> drawn;
  for (const std::uint64_t i : score::prelabel_detections(d, d.at(row), threshold)) {
    DrawnDetection one;
    std::copy_n(&d.boxes[4 * i], 4, one.box.begin());
    one.label = d.labels[i];
    one.confidence = d.confidence[i];
    if (keypoints > 0)
      one.keypoints.assign(&d.keypoints[3 * keypoints * i], &d.keypoints[3 * keypoints * (i + 1)]);
    drawn.push_back(std::move(one));
  }
  return drawn;
}

std::string thumbnails_html(const score::ScoresFile& scores, const score::RowDetections& d,
                            const ObjectBatch& batch, const std::vector<std::uint64_t>& shown) {
  if (!fs::exists(batch.pool))
    return "<p class=\"note\">The pool " + escape_html(batch.pool.string()) +
           " is not reachable from here: no thumbnails.</p>\n";
  const auto pool = pool::PoolFile::open(batch.pool);
  const auto& dims = pool.meta().shape.dims;
  OverlayStyle style;
  style.class_names = scores.meta().class_names;
  style.keypoint_names = pool.meta().task.keypoint_names;
  style.skeleton = pool.meta().task.skeleton;
  if (dims.size() == 3) style.shown = shown_size(dims[2], dims[1]);
  std::vector<Thumbnail> items;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto row = shown[i];
    const auto drawn = prelabels_of(d, row, scores.meta().keypoints, batch.prelabel_min_confidence);
    items.push_back({batch.ids[i], row, fmt::format("{} pre-label(s)", drawn.size()),
                     object_overlay(drawn, style)});
  }
  return thumbnail_grid(batch.pool, items, style.shown);
}

}  // namespace

void add_object_batch_sections(HtmlPage& page, const score::ScoresFile& scores,
                               const ObjectBatch& batch) {
  const auto& meta = scores.meta();
  const auto all = read_pool_detections(scores);
  const auto d = score::read_row_detections(scores, batch.rows);
  const auto picked = batch_detections(d, batch.rows);
  const double threshold = batch.prelabel_min_confidence;
  page.add_paragraph(fmt::format(
      "{} detections in the pool, {} in the batch; pre-labels are the detections at or above "
      "confidence {:.2f} (the export's --prelabel-min-confidence), one box per object (of "
      "boxes overlapping by IoU {:.1f} or more, the most confident).",
      all.confidence.size(), picked.confidence.size(), threshold, score::kPrelabelDuplicateIou));
  page.add_section("Detection confidence: every detection versus the batch's",
                   histogram(all.confidence, picked.confidence, batch.bins, "pool", "batch",
                             {"detection confidence", "share of detections", 720, 300,
                              AxisKind::share, AxisKind::share}));
  page.add_section(
      fmt::format(
          "Class mix of the detections (confidence >= {:.2f}, duplicates not merged): batch "
          "versus pool",
          threshold),
      bar_chart(
          meta.class_names,
          {{"pool", class_shares(all.labels, all.confidence, threshold, meta.classes)},
           {"batch", class_shares(picked.labels, picked.confidence, threshold, meta.classes)}},
          {"detected class", "share of detections", 720, 300, AxisKind::real, AxisKind::share}));
  const std::vector<std::uint64_t> shown(
      batch.rows.begin(),
      batch.rows.begin() +
          std::min<std::ptrdiff_t>(std::ptrdiff_t(batch.rows.size()), batch.thumbnails));
  page.add_section(
      fmt::format("Selected items (first {} in pick order) with the pre-labels", shown.size()),
      thumbnails_html(scores, d, batch, shown));
}

}  // namespace quarry::report
