#include "ingest/object_report.hpp"

#include <fmt/format.h>

namespace quarry::ingest {

namespace {

std::string prelabel_text(const objects::PrelabelCounts& c) {
  return fmt::format("{} kept, {} adjusted, {} deleted, {} added", c.kept, c.adjusted, c.deleted,
                     c.added);
}

nlohmann::json comparison_json(const objects::Comparison& c) {
  return {{"precision", c.precision()},
          {"recall", c.recall()},
          {"mean_iou", c.mean_iou()},
          {"f1", c.f1()},
          {"mean_oks", c.oks_pairs > 0 ? nlohmann::json(c.mean_oks()) : nlohmann::json(nullptr)},
          {"class_accuracy", c.class_accuracy()},
          {"matched", c.matched}};
}

nlohmann::json prelabel_json(const objects::PrelabelCounts& c) {
  return {{"kept", c.kept}, {"adjusted", c.adjusted}, {"deleted", c.deleted}, {"added", c.added}};
}

}  // namespace

std::string format_object_report(const ObjectReport& r) {
  const auto& pairs = r.between_annotators;
  std::string text = fmt::format(
      "consensus: objects matched at IoU >= {:.2f}, kept with support >= {:.2f}: {} objects, {} "
      "items with split support; classes by Dawid-Skene ({} iterations{})\n",
      r.iou_threshold, r.min_support, r.objects, r.split_items, r.iterations,
      r.converged ? "" : ", NOT converged");
  text += fmt::format("agreement: mean IoU {:.3f}, object F1 {:.3f}", pairs.mean_iou(), pairs.f1());
  if (pairs.oks_pairs > 0) text += fmt::format(", keypoint OKS {:.3f}", pairs.mean_oks());
  text += fmt::format("\n{:<24} {:>8} {:>9} {:>9} {:>8} {:>8} {:>11} {:>9} {:>9}\n", "annotator",
                      "answers", "precision", "recall", "IoU", "OKS", "reliability", "gold P",
                      "gold R");
  for (const auto& row : r.annotators) {
    const auto& c = row.consensus;
    text +=
        fmt::format("{:<24} {:>8} {:>9.3f} {:>9.3f} {:>8.3f} {:>8} {:>11.3f} {:>9} {:>9}\n",
                    row.name, row.answers, c.precision(), c.recall(), c.mean_iou(),
                    c.oks_pairs > 0 ? fmt::format("{:.3f}", c.mean_oks()) : "-", row.reliability,
                    row.gold ? fmt::format("{:.3f}", row.gold->precision()) : "-",
                    row.gold ? fmt::format("{:.3f}", row.gold->recall()) : "-");
  }
  if (r.prelabels) {
    text += "pre-labels: " + prelabel_text(*r.prelabels) + "\n";
    for (const auto& row : r.annotators)
      if (row.prelabels) text += fmt::format("  {}: {}\n", row.name, prelabel_text(*row.prelabels));
  }
  return text;
}

nlohmann::json object_report_json(const ObjectReport& r) {
  nlohmann::json annotators = nlohmann::json::object();
  for (const auto& row : r.annotators)
    annotators[row.name] = {
        {"answers", row.answers},
        {"reliability", row.reliability},
        {"consensus", comparison_json(row.consensus)},
        {"gold", row.gold ? comparison_json(*row.gold) : nlohmann::json(nullptr)},
        {"prelabels", row.prelabels ? prelabel_json(*row.prelabels) : nlohmann::json(nullptr)}};
  return {{"iou_threshold", r.iou_threshold},
          {"min_support", r.min_support},
          {"objects", r.objects},
          {"split_items", r.split_items},
          {"dawid_skene", {{"iterations", r.iterations}, {"converged", r.converged}}},
          {"agreement", comparison_json(r.between_annotators)},
          {"annotators", annotators},
          {"prelabels", r.prelabels ? prelabel_json(*r.prelabels) : nlohmann::json(nullptr)}};
}

}  // namespace quarry::ingest
