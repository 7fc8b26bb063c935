#include <fmt/format.h>

#include <iostream>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/path_error.hpp"
#include "ingest/ingest_run.hpp"

namespace quarry::app {

namespace {

std::string text(double value) {
  return fmt::format("{}", value);
}

void add_dawid_skene_options(po::options_description& options, const ingest::DawidSkeneOptions& d) {
  options.add_options()("max-iterations", po::value<int>()->default_value(d.max_iterations),
                        "Dawid-Skene EM iteration limit")(
      "tolerance", po::value<double>()->default_value(d.tolerance, text(d.tolerance)),
      "Dawid-Skene: stop when the log-likelihood changes by less than this share")(
      "confusion-prior",
      po::value<std::string>()->default_value(ingest::confusion_prior_name(d.prior)),
      "Dawid-Skene: hierarchical (pooled, calibrated) or flat (the published method)")(
      "smoothing", po::value<double>()->default_value(d.smoothing, text(d.smoothing)),
      "Dawid-Skene: pseudo-count per confusion-matrix cell")(
      "diagonal-prior",
      po::value<double>()->default_value(d.diagonal_prior, text(d.diagonal_prior)),
      "Dawid-Skene: extra pseudo-count on each diagonal cell (annotators mostly right)");
}

ingest::DawidSkeneOptions dawid_skene_options(const po::variables_map& values) {
  ingest::DawidSkeneOptions o;
  o.max_iterations = values["max-iterations"].as<int>();
  o.tolerance = values["tolerance"].as<double>();
  o.prior = ingest::parse_confusion_prior(values["confusion-prior"].as<std::string>());
  o.smoothing = values["smoothing"].as<double>();
  o.diagonal_prior = values["diagonal-prior"].as<double>();
  return o;
}

}  // namespace

int run_ingest(const CommandLine& line) {
  const ingest::IngestRequest d;
  po::options_description options("ingest");
  options.add_options()("annotations", po::value<std::vector<std::string>>()->multitoken(),
                        "annotation files (also accepted as positional arguments)")(
      "format", po::value<std::string>(),
      "label-studio, cvat, sagemaker, csv, or coco (detection and keypoint pools)")(
      "pool", po::value<std::string>(), "the pool the items belong to (classes, ids)")(
      "labels", po::value<std::string>(), "the label ledger to append to (created if absent)")(
      "consensus",
      po::value<std::string>()->default_value(ingest::consensus_method_name(d.consensus)),
      "majority or dawid-skene")(
      "min-confidence",
      po::value<double>()->default_value(d.min_confidence, text(d.min_confidence)),
      "items below this confidence go to adjudication")(
      "skip-bad", "ingest the good records; write rejected ones beside the ledger")(
      "annotator", po::value<std::vector<std::string>>()->composing(),
      "CVAT: annotator of the files (once for all, or repeated once per file)")(
      "gold", po::value<std::vector<std::string>>()->composing(),
      "CSV id,label of items with known labels (repeatable)")(
      "prelabels", po::value<std::vector<std::string>>()->composing(),
      "pre-label list of the answered export (EXPORT.prelabels.csv or its csv/items.csv; for "
      "detection and keypoint pools its csv/objects.csv; repeatable): measures how often "
      "annotators kept the model's guess")(
      "annotator-map", po::value<std::string>(),
      "Label Studio: the server's users (/api/users JSON) naming user ids by email")(
      "round", po::value<int>()->default_value(d.round), "round number to record (0: last + 1)")(
      "iou-threshold", po::value<double>()->default_value(d.object_iou, text(d.object_iou)),
      "detection and keypoint pools: IoU at which annotators' boxes are the same object")(
      "min-support", po::value<double>()->default_value(d.min_support, text(d.min_support)),
      "detection and keypoint pools: share of an item's annotators that must draw an object");
  add_dawid_skene_options(options, d.dawid_skene);
  po::positional_options_description positional;
  positional.add("annotations", -1);
  auto values = parse(line,
                      "--annotations FILE... --format F --pool POOL.h5 --labels LEDGER.h5 "
                      "[--consensus majority|dawid-skene] [--min-confidence X] [--skip-bad]",
                      options, positional);
  if (!values) return 0;
  ingest::IngestRequest request;
  if (!values->count("annotations"))
    throw UsageError("missing annotation files", "pass --annotations FILE... (or the files last)");
  for (const auto& file : (*values)["annotations"].as<std::vector<std::string>>())
    request.annotations.emplace_back(file);
  request.format = ingest::parse_annotation_format(required<std::string>(*values, "format"));
  request.pool = required<std::string>(*values, "pool");
  request.ledger = required<std::string>(*values, "labels");
  require_writable_parent(request.ledger);  // the ledger is this command's output (no --out)
  request.consensus = ingest::parse_consensus_method((*values)["consensus"].as<std::string>());
  request.min_confidence = (*values)["min-confidence"].as<double>();
  request.skip_bad = values->count("skip-bad") > 0;
  if (values->count("annotator"))
    request.annotators = (*values)["annotator"].as<std::vector<std::string>>();
  if (values->count("gold"))
    for (const auto& file : (*values)["gold"].as<std::vector<std::string>>())
      request.gold.emplace_back(file);
  if (values->count("prelabels"))
    for (const auto& file : (*values)["prelabels"].as<std::vector<std::string>>())
      request.prelabels.emplace_back(file);
  if (values->count("annotator-map"))
    request.annotator_map = (*values)["annotator-map"].as<std::string>();
  request.round = (*values)["round"].as<int>();
  request.dawid_skene = dawid_skene_options(*values);
  request.object_iou = (*values)["iou-threshold"].as<double>();
  request.min_support = (*values)["min-support"].as<double>();
  const auto report = ingest::run_ingest(request);
  std::cout << ingest::format_report(report, request.ledger);
  return 0;
}

}  // namespace quarry::app
