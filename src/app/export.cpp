#include <boost/algorithm/string.hpp>

#include "app/commands.hpp"
#include "export/export_run.hpp"

namespace quarry::app {

int run_export(const CommandLine& line) {
  const exporting::ExportInputs d;
  po::options_description options("export");
  options.add_options()("selection", po::value<std::string>(), "selection file (quarry select)")(
      "pool", po::value<std::string>(), "the pool the selection was made from")(
      "scores", po::value<std::string>(), "the pool's scores file (predictions become pre-labels)")(
      "format", po::value<std::string>(), "comma-separated: label-studio,cvat,coco,sagemaker,csv")(
      "out", po::value<std::string>(), "export folder to create")(
      "force", "replace --out if it exists and is not empty")(
      "label-studio-prefix", po::value<std::string>(),
      "URL prefix of the images in Label Studio tasks (default /data/local-files/?d=<out name>/)")(
      "sagemaker-prefix", po::value<std::string>()->default_value(""),
      "URI prefix of the images in the Ground Truth manifest, e.g. s3://bucket/round-7/")(
      "annotators", po::value<std::string>(), "comma-separated annotator names")(
      "annotators-per-item", po::value<std::uint32_t>()->default_value(d.annotators_per_item),
      "distinct annotators per item (needs --annotators)")(
      "labels", po::value<std::string>(),
      "label ledger: unresolved items go first; gold items come from it")(
      "gold-rate", po::value<double>()->default_value(d.gold_rate),
      "gold items (labels known, from --labels) to mix in, per selected item")(
      "seed", po::value<std::uint64_t>()->default_value(d.seed),
      "seed for assignment and gold items")(
      "prelabel-min-confidence", po::value<double>()->default_value(d.prelabel_min_confidence),
      "detection and keypoint pools: the least confidence of a detection shown as a pre-label");
  auto values = parse(line,
                      "--selection S.h5 --pool P.h5 --scores SC.h5 --format F[,F...] --out DIR "
                      "[--annotators a,b,c --annotators-per-item R] [--labels L.h5 --gold-rate F]",
                      options);
  if (!values) return 0;
  exporting::ExportRequest request;
  request.inputs.selection = required<std::string>(*values, "selection");
  request.inputs.pool = required<std::string>(*values, "pool");
  request.inputs.scores = required<std::string>(*values, "scores");
  request.formats = exporting::parse_formats(required<std::string>(*values, "format"));
  request.out = required<std::string>(*values, "out");
  request.force = values->count("force") > 0;
  if (values->count("label-studio-prefix"))
    request.label_studio_prefix = (*values)["label-studio-prefix"].as<std::string>();
  request.sagemaker_prefix = (*values)["sagemaker-prefix"].as<std::string>();
  if (values->count("annotators"))
    boost::split(request.inputs.annotators, (*values)["annotators"].as<std::string>(),
                 boost::is_any_of(","));
  request.inputs.annotators_per_item = (*values)["annotators-per-item"].as<std::uint32_t>();
  if (values->count("labels")) request.inputs.labels = (*values)["labels"].as<std::string>();
  request.inputs.gold_rate = (*values)["gold-rate"].as<double>();
  request.inputs.seed = (*values)["seed"].as<std::uint64_t>();
  request.inputs.prelabel_min_confidence = (*values)["prelabel-min-confidence"].as<double>();
  exporting::run_export(request);
  return 0;
}

}  // namespace quarry::app
