// evaluate(): COCOeval's evaluate, accumulate and summarize, one category at a time so that
// memory stays that of the largest category.
#include "detect/coco_eval.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "detect/coco_accumulate.hpp"
#include "detect/coco_match.hpp"
#include "detect/coco_summarize.hpp"

namespace quarry::detect {

namespace {

std::vector<std::int64_t> sorted_unique(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// COCOeval.evaluate() sorts maxDets and takes image and category ids through np.unique.
Params normalized(const Params& given, const GroundTruth& truth) {
  Params params = given;
  if (params.image_ids.empty()) params.image_ids = truth.image_ids;
  if (params.category_ids.empty())
    for (const Category& category : truth.categories) params.category_ids.push_back(category.id);
  params.image_ids = sorted_unique(params.image_ids);
  params.category_ids = sorted_unique(params.category_ids);
  std::sort(params.max_detections.begin(), params.max_detections.end());
  return params;
}

void check_inputs(const GroundTruth& truth, const std::vector<Detection>& detections,
                  const Params& params) {
  const std::size_t values = params.sigmas.size() * 3;
  const bool keypoints = params.iou_type == IouType::keypoints;
  for (const TruthObject& object : truth.objects) {
    if (object.id < 1)
      throw std::invalid_argument("truth object id " + std::to_string(object.id) + " < 1");
    if (keypoints && object.keypoints.size() != values)
      throw std::invalid_argument("truth object " + std::to_string(object.id) +
                                  ": keypoint values do not match the sigmas");
  }
  for (const Detection& detection : detections) {
    if (std::isnan(detection.score)) throw std::invalid_argument("detection score is NaN");
    if (keypoints && detection.keypoints.size() != values)
      throw std::invalid_argument("detection keypoint values do not match the sigmas");
  }
  if (params.max_detections.empty() || params.iou_thresholds.empty())
    throw std::invalid_argument("evaluation needs maxDets and IoU thresholds");
}

// Positions of the items (truths or detections) evaluated, grouped by category index, then
// image index, then file order: the order COCOeval's _gts and _dts lists have.
struct Slot {
  std::size_t k, i, item;
  bool operator<(const Slot& o) const {
    return k != o.k ? k < o.k : i != o.i ? i < o.i : item < o.item;
  }
};

template <typename Item>
std::vector<Slot> slots(const std::vector<Item>& items, const Params& params) {
  std::unordered_map<std::int64_t, std::size_t> image_index, category_index;
  for (std::size_t i = 0; i < params.image_ids.size(); ++i) image_index[params.image_ids[i]] = i;
  for (std::size_t k = 0; k < params.category_ids.size(); ++k)
    category_index[params.category_ids[k]] = k;
  std::vector<Slot> found;
  for (std::size_t n = 0; n < items.size(); ++n) {
    const auto image = image_index.find(items[n].image_id);
    const auto category = category_index.find(items[n].category_id);
    if (image != image_index.end() && category != category_index.end())
      found.push_back({category->second, image->second, n});
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Walks the truths and detections of one category, image by image.
class CategoryWalk {
 public:
  CategoryWalk(const GroundTruth& truth, const std::vector<Detection>& detections,
               const Params& params)
      : truth_(truth),
        detections_(detections),
        truth_slots_(slots(truth.objects, params)),
        detection_slots_(slots(detections, params)) {}

  // The images of category k with truths or detections, as COCOeval's non-empty evalImgs.
  std::vector<ImageCategory> images(std::size_t k) {
    std::vector<ImageCategory> found;
    while (true) {
      const bool more_truths = t_ < truth_slots_.size() && truth_slots_[t_].k == k;
      const bool more_detections = d_ < detection_slots_.size() && detection_slots_[d_].k == k;
      if (!more_truths && !more_detections) return found;
      std::size_t i = std::min(more_truths ? truth_slots_[t_].i : SIZE_MAX,
                               more_detections ? detection_slots_[d_].i : SIZE_MAX);
      ImageCategory& image = found.emplace_back();
      for (; t_ < truth_slots_.size() && truth_slots_[t_].k == k && truth_slots_[t_].i == i; ++t_)
        image.truths.push_back(&truth_.objects[truth_slots_[t_].item]);
      for (; d_ < detection_slots_.size() && detection_slots_[d_].k == k &&
             detection_slots_[d_].i == i;
           ++d_)
        image.detections.push_back(&detections_[detection_slots_[d_].item]);
    }
  }

  std::size_t truths() const { return truth_slots_.size(); }
  std::size_t detections() const { return detection_slots_.size(); }

 private:
  const GroundTruth& truth_;
  const std::vector<Detection>& detections_;
  std::vector<Slot> truth_slots_, detection_slots_;
  std::size_t t_ = 0, d_ = 0;
};

void match_image(const ImageCategory& image, const Params& params, std::size_t i,
                 CategoryMatches& matches) {
  const auto detections = by_score(image.detections, std::size_t(params.max_detections.back()));
  const std::vector<double> matrix = similarities(detections, image.truths, params);
  std::vector<double> scores;
  for (const Detection* detection : detections) scores.push_back(detection->score);
  std::vector<AreaMatch> areas;
  for (const AreaRange& range : params.area_ranges)
    areas.push_back(match(detections, image.truths, matrix, range, params));
  matches.set_image(i, scores, areas);
}

// COCOeval.evaluate() for category k, images in parallel.
CategoryMatches match_category(CategoryWalk& walk, std::size_t k, const Params& params) {
  const std::vector<ImageCategory> images = walk.images(k);
  std::vector<std::size_t> sizes;
  for (const ImageCategory& image : images)
    sizes.push_back(std::min(image.detections.size(), std::size_t(params.max_detections.back())));
  CategoryMatches matches(params.area_ranges.size(), params.iou_thresholds.size(), sizes);
  tbb::parallel_for(std::size_t{0}, images.size(),
                    [&](std::size_t i) { match_image(images[i], params, i, matches); });
  return matches;
}

std::string category_name(const GroundTruth& truth, std::int64_t id) {
  for (const Category& category : truth.categories)
    if (category.id == id) return category.name;
  return {};
}

}  // namespace

Result evaluate(const GroundTruth& truth, const std::vector<Detection>& detections,
                const Params& given) {
  check_inputs(truth, detections, given);
  const Params params = normalized(given, truth);
  Accumulated accumulated(params.iou_thresholds.size(), params.recall_thresholds.size(),
                          params.category_ids.size(), params.area_ranges.size(),
                          params.max_detections.size());
  CategoryWalk walk(truth, detections, params);
  for (std::size_t k = 0; k < params.category_ids.size(); ++k) {
    accumulate_category(match_category(walk, k, params), k, params, accumulated);
  }
  Result result;
  result.iou_type = params.iou_type;
  result.stats = summarize(accumulated, params);
  result.iou_thresholds = params.iou_thresholds;
  result.ap_per_iou = ap_per_iou(accumulated, params);
  result.recall_per_iou = recall_per_iou(accumulated, params);
  for (std::size_t k = 0; k < params.category_ids.size(); ++k)
    result.per_category.push_back({params.category_ids[k],
                                   category_name(truth, params.category_ids[k]),
                                   summarize(accumulated, params, k)});
  result.images = params.image_ids.size();
  result.truths = walk.truths();
  result.detections = walk.detections();
  return result;
}

}  // namespace quarry::detect
