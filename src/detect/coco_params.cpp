// COCOeval's Params, its names for iou types and statistics, and results built as loadRes
// builds them.
#include <algorithm>

#include "core/error.hpp"
#include "detect/coco_eval.hpp"
#include "detect/oks.hpp"

namespace quarry::detect {

namespace {

// np.linspace(start, stop, num): i * ((stop - start) / (num - 1)) + start, the last value set
// to `stop`. The step is computed from the difference, so 0.5 + 8 * step = 0.8999999999999999
// and i * 0.01 gives recThrs[70] = 0.7000000000000001: matches at a threshold depend on it.
std::vector<double> numpy_linspace(double start, double stop, int num) {
  std::vector<double> values(num);
  const double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) values[i] = i * step + start;
  values.back() = stop;
  return values;
}

}  // namespace

IouType parse_iou_type(const std::string& name) {
  if (name == "bbox") return IouType::bbox;
  if (name == "keypoints") return IouType::keypoints;
  throw UsageError("unknown iou type '" + name + "'", "use bbox or keypoints");
}

const char* iou_type_name(IouType type) {
  return type == IouType::bbox ? "bbox" : "keypoints";
}

Params default_params(IouType iou_type, std::vector<double> sigmas) {
  Params params;
  params.iou_type = iou_type;
  params.iou_thresholds = numpy_linspace(0.5, 0.95, 10);
  params.recall_thresholds = numpy_linspace(0.0, 1.0, 101);
  constexpr double kUnbounded = 1e5 * 1e5;
  if (iou_type == IouType::bbox) {
    params.max_detections = {1, 10, 100};
    params.area_ranges = {{"all", 0, kUnbounded},
                          {"small", 0, 32 * 32},
                          {"medium", 32 * 32, 96 * 96},
                          {"large", 96 * 96, kUnbounded}};
  } else {
    params.max_detections = {20};
    params.area_ranges = {
        {"all", 0, kUnbounded}, {"medium", 32 * 32, 96 * 96}, {"large", 96 * 96, kUnbounded}};
  }
  params.sigmas = std::move(sigmas);
  return params;
}

const std::vector<double>& coco_person_sigmas() {
  static const std::vector<double> sigmas = [] {
    std::vector<double> tenfold = {.26, .25, .25,  .35,  .35, .79, .79, .72, .72,
                                   .62, .62, 1.07, 1.07, .87, .87, .89, .89};
    // cocoeval.py divides the array by 10.0: the same operation, the same values.
    for (double& sigma : tenfold) sigma /= 10.0;
    return tenfold;
  }();
  return sigmas;
}

const std::vector<std::string>& stat_names(IouType iou_type) {
  static const std::vector<std::string> box = {"AP",  "AP50", "AP75",  "APs", "APm", "APl",
                                               "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
  static const std::vector<std::string> keypoint = {"AP", "AP50", "AP75", "APm", "APl",
                                                    "AR", "AR50", "AR75", "ARm", "ARl"};
  return iou_type == IouType::bbox ? box : keypoint;
}

std::size_t recall_stat(IouType iou_type) {
  return iou_type == IouType::bbox ? 8 : 5;
}

const std::vector<std::string>& stat_descriptions(IouType iou_type) {
  static const std::vector<std::string> box = {
      "AP  IoU=0.50:0.95 area=all    maxDets=100", "AP  IoU=0.50      area=all    maxDets=100",
      "AP  IoU=0.75      area=all    maxDets=100", "AP  IoU=0.50:0.95 area=small  maxDets=100",
      "AP  IoU=0.50:0.95 area=medium maxDets=100", "AP  IoU=0.50:0.95 area=large  maxDets=100",
      "AR  IoU=0.50:0.95 area=all    maxDets=1",   "AR  IoU=0.50:0.95 area=all    maxDets=10",
      "AR  IoU=0.50:0.95 area=all    maxDets=100", "AR  IoU=0.50:0.95 area=small  maxDets=100",
      "AR  IoU=0.50:0.95 area=medium maxDets=100", "AR  IoU=0.50:0.95 area=large  maxDets=100"};
  static const std::vector<std::string> keypoint = {
      "AP  OKS=0.50:0.95 area=all    maxDets=20", "AP  OKS=0.50      area=all    maxDets=20",
      "AP  OKS=0.75      area=all    maxDets=20", "AP  OKS=0.50:0.95 area=medium maxDets=20",
      "AP  OKS=0.50:0.95 area=large  maxDets=20", "AR  OKS=0.50:0.95 area=all    maxDets=20",
      "AR  OKS=0.50      area=all    maxDets=20", "AR  OKS=0.75      area=all    maxDets=20",
      "AR  OKS=0.50:0.95 area=medium maxDets=20", "AR  OKS=0.50:0.95 area=large  maxDets=20"};
  return iou_type == IouType::bbox ? box : keypoint;
}

Detection box_detection(std::int64_t image_id, std::int64_t category_id, const Box& box,
                        double score) {
  Detection detection;
  detection.image_id = image_id;
  detection.category_id = category_id;
  detection.box = box;
  detection.score = score;
  detection.area = box.area();
  return detection;
}

Detection keypoint_detection(std::int64_t image_id, std::int64_t category_id,
                             std::vector<double> keypoints, double score) {
  Detection detection;
  detection.image_id = image_id;
  detection.category_id = category_id;
  detection.area = keypoint_extent_area(keypoints);
  detection.keypoints = std::move(keypoints);
  detection.score = score;
  return detection;
}

}  // namespace quarry::detect
