// `quarry eval --coco-truth GT.json --coco-results RESULTS.json`: COCO evaluation of a user's
// own files, so they can check quarry's evaluator against the numbers pycocotools gave them. It
// runs no model: the torch-free binary runs it, serially, whatever `eval` otherwise needs.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "detect/coco_eval.hpp"
#include "detect/coco_json.hpp"

namespace quarry::app {

namespace {

// "0.025,0.025,0.026": one sigma per keypoint.
std::vector<double> parse_sigmas(const std::string& text) {
  std::vector<double> sigmas;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    const auto sigma = parse_double(part);
    if (!sigma || !(*sigma > 0))
      throw UsageError(fmt::format("--sigmas: '{}' is not a positive number", part),
                       "give one sigma per keypoint, comma-separated");
    sigmas.push_back(*sigma);
  }
  return sigmas;
}

// The sigmas for keypoint evaluation: given, or COCO's person sigmas for 17 keypoints.
std::vector<double> keypoint_sigmas(const po::variables_map& values,
                                    const detect::GroundTruth& truth) {
  const std::size_t k = truth.objects.empty() ? 0 : truth.objects.front().keypoints.size() / 3;
  std::vector<double> sigmas;
  if (values.count("sigmas"))
    sigmas = parse_sigmas(values["sigmas"].as<std::string>());
  else if (k == 17)
    sigmas = detect::coco_person_sigmas();
  if (sigmas.size() != k)
    throw UsageError(fmt::format("the ground truth has {} keypoints per object and {} sigmas "
                                 "were given",
                                 k, sigmas.size()),
                     k == 17 ? "" : "pass --sigmas with one value per keypoint");
  return sigmas;
}

}  // namespace

bool evaluates_coco_files(const CommandLine& line) {
  for (const std::string& arg : line.args)
    if (arg.starts_with("--coco-truth") || arg.starts_with("--coco-results")) return true;
  return false;
}

int run_eval_coco(const CommandLine& line) {
  po::options_description options("eval (COCO files)");
  options.add_options()("coco-truth", po::value<std::string>(),
                        "COCO ground truth: images, categories, annotations")(
      "coco-results", po::value<std::string>(), "COCO results: a list of detections")(
      "iou-type", po::value<std::string>()->default_value("bbox"), "bbox or keypoints")(
      "sigmas", po::value<std::string>(),
      "keypoints: one OKS sigma per keypoint, comma-separated (default: COCO's 17 person "
      "sigmas)")("json", "print JSON instead of a table");
  auto values = parse(line,
                      "--coco-truth GT.json --coco-results RESULTS.json [--iou-type "
                      "bbox|keypoints] [--sigmas S,...] [--json]",
                      options);
  if (!values) return 0;
  const auto iou_type = detect::parse_iou_type((*values)["iou-type"].as<std::string>());
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  };
  const auto read_start = Clock::now();
  const auto truth =
      detect::read_coco_truth(required<std::string>(*values, "coco-truth"), iou_type);
  const auto detections =
      detect::read_coco_results(required<std::string>(*values, "coco-results"), truth, iou_type);
  std::vector<double> sigmas;
  if (iou_type == detect::IouType::keypoints) sigmas = keypoint_sigmas(*values, truth);
  const double read_seconds = seconds(read_start);
  const auto evaluate_start = Clock::now();
  const auto result =
      detect::evaluate(truth, detections, detect::default_params(iou_type, std::move(sigmas)));
  // The timings tools/bench/coco-eval reports (QUARRY_LOG_LEVEL=debug).
  spdlog::debug("eval: read the COCO files in {:.3f} s, evaluated in {:.3f} s", read_seconds,
                seconds(evaluate_start));
  std::cout << (values->count("json") ? detect::to_json(result).dump(2) + "\n"
                                      : detect::format_result(result));
  return 0;
}

}  // namespace quarry::app
