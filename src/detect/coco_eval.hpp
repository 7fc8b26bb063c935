#pragma once
// COCO evaluation of boxes and keypoints, a re-implementation of cocoapi's COCOeval (iouType
// "bbox" and "keypoints") that reproduces its numbers: the same matching, the same
// accumulation of precision and recall and the same summary statistics, down to the floating
// point conventions (docs/evaluate.md lists them; tests/detect/unit/test_coco_eval*.cpp prove
// equality with cocoapi on tests/data/coco_eval_reference.json).
//
// Inputs are in COCO's own convention, so that a user's COCO files and quarry's pools give the
// same answer: boxes are x, y, width, height in pixels; keypoints are K triples x, y, v; truth
// objects carry COCO's `area` (which decides small/medium/large, not the box) and `iscrowd`.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "detect/box.hpp"

namespace quarry::detect {

enum class IouType { bbox, keypoints };

// "bbox" | "keypoints"; anything else is a UsageError naming the accepted values.
IouType parse_iou_type(const std::string& name);
const char* iou_type_name(IouType type);

struct Category {
  std::int64_t id = 0;
  std::string name;
};

// One ground-truth object, as a COCO annotation.
struct TruthObject {
  std::int64_t id = 0;  // >= 1: COCOeval stores matches as truth ids, 0 meaning "unmatched"
  std::int64_t image_id = 0;
  std::int64_t category_id = 0;
  Box box;                        // COCO `bbox`: x, y, w, h
  double area = 0;                // COCO `area`: area ranges use it, OKS scales by it
  bool crowd = false;             // COCO `iscrowd`: ignored, and may match any number of detections
  std::vector<double> keypoints;  // keypoints only: K triples x, y, v (v > 0: labelled)
  int num_keypoints = 0;          // keypoints only: 0 makes the object ignored, as in COCOeval
};

// One detection, as an entry of a COCO results file.
struct Detection {
  std::int64_t image_id = 0;
  std::int64_t category_id = 0;
  Box box;                        // bbox only (keypoint results may leave it empty)
  std::vector<double> keypoints;  // keypoints only: K triples x, y, confidence (ignored)
  double score = 0;
  // The area COCO's loadRes gives a result; an unmatched detection outside an area range is
  // ignored there. Box results: w*h; keypoint results without a box: the keypoint extent.
  // box_detection and keypoint_detection set it so.
  double area = 0;
};

Detection box_detection(std::int64_t image_id, std::int64_t category_id, const Box& box,
                        double score);
Detection keypoint_detection(std::int64_t image_id, std::int64_t category_id,
                             std::vector<double> keypoints, double score);

// The images evaluated (COCO's `images`: an image without objects still counts a detection on
// it as a false positive), the categories and the objects.
struct GroundTruth {
  std::vector<std::int64_t> image_ids;
  std::vector<Category> categories;
  std::vector<TruthObject> objects;
};

struct AreaRange {
  std::string label;  // "all", "small", "medium", "large": the summary looks ranges up by label
  double min = 0;     // inclusive bounds on the truth's `area`, as COCOeval's
  double max = 0;
};

struct Params {
  IouType iou_type = IouType::bbox;
  std::vector<double> iou_thresholds;     // COCOeval's np.linspace(.5, .95, 10), bit for bit
  std::vector<double> recall_thresholds;  // COCOeval's np.linspace(0, 1, 101): i*0.01, not i/100
  std::vector<int> max_detections;        // ascending; the last one cuts each image's detections
  std::vector<AreaRange> area_ranges;
  std::vector<double> sigmas;  // keypoints: one per keypoint, COCO's kpt_oks_sigmas
  // Subsets to evaluate; empty: every category / every image of the ground truth.
  std::vector<std::int64_t> category_ids;
  std::vector<std::int64_t> image_ids;
};

// COCOeval's default parameters for the type: bbox maxDets 1/10/100 and areas
// all/small/medium/large; keypoints maxDets 20 and areas all/medium/large with `sigmas`.
Params default_params(IouType iou_type, std::vector<double> sigmas = {});

// COCO's 17 person keypoint sigmas (cocoeval.py's kpt_oks_sigmas).
const std::vector<double>& coco_person_sigmas();

struct CategoryResult {
  std::int64_t id = 0;
  std::string name;
  // The summary statistics of this category alone (COCOeval run with catIds = [id]): AP is
  // stats[0], AR stats[8] for boxes (AR@100) and stats[5] for keypoints; -1 where the category
  // has no (non-ignored) ground truth.
  std::vector<double> stats;
};

struct Result {
  IouType iou_type = IouType::bbox;
  // COCOeval.stats in summarize() order: 12 for bbox (AP, AP50, AP75, APs, APm, APl, AR1,
  // AR10, AR100, ARs, ARm, ARl), 10 for keypoints (AP, AP50, AP75, APm, APl, AR, AR50, AR75,
  // ARm, ARl); names from stat_names(). -1 where nothing could be measured, as COCOeval.
  std::vector<double> stats;
  std::vector<double> iou_thresholds;
  // Area "all" and the largest maxDets, one value per IoU (OKS) threshold, averaged over
  // categories as the stats are.
  std::vector<double> ap_per_iou;
  std::vector<double> recall_per_iou;
  std::vector<CategoryResult> per_category;            // in ascending category id
  std::size_t images = 0, truths = 0, detections = 0;  // evaluated (after the subsets)
};

// Evaluates `detections` against `truth` as COCOeval.evaluate(), accumulate() and summarize()
// do. Detections on images or categories outside the evaluated sets are left out, as
// COCOeval's. A truth id < 1 or keypoints whose count differs from `params.sigmas` are
// std::invalid_argument (the readers in coco_json.hpp reject them with the file's name first).
Result evaluate(const GroundTruth& truth, const std::vector<Detection>& detections,
                const Params& params);

const std::vector<std::string>& stat_names(IouType iou_type);
// The index in `stats` of AR at the largest maxDets: 8 (AR100) for boxes, 5 for keypoints.
std::size_t recall_stat(IouType iou_type);
// What each statistic measures, as summarize() prints it: "AP  IoU=0.50:0.95 area=all
// maxDets=100" (for keypoints "OKS=" in place of "IoU=").
const std::vector<std::string>& stat_descriptions(IouType iou_type);

// For `quarry eval --json`: {"iou_type", "stats": {name: value}, "stats_list", "iou_thresholds",
// "ap_per_iou", "recall_per_iou", "per_category": [{"id", "name", "AP", "AR", "stats": {...}}],
// "images", "truths", "detections"}.
nlohmann::json to_json(const Result& result);

// The table `quarry eval` prints: each statistic with its description, then AP and AR by
// category.
std::string format_result(const Result& result);

}  // namespace quarry::detect
