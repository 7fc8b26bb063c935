// The COCO JSON readers: what they take from the files as pycocotools does, and bad input named
// by file, annotation and problem.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "detect/coco_json.hpp"

namespace quarry::detect {
namespace {

using nlohmann::json;

json truth_document() {
  return json::parse(R"({
    "images": [{"id": 4}, {"id": 9}],
    "categories": [{"id": 1, "name": "head"}],
    "annotations": [
      {"id": 3, "image_id": 4, "category_id": 1, "bbox": [1, 2, 10, 20], "area": 150,
       "keypoints": [5, 5, 2, 0, 0, 0, 7, 9, 1]},
      {"id": 5, "image_id": 9, "category_id": 1, "bbox": [0, 0, 4, 4], "area": 16,
       "iscrowd": true, "keypoints": [0, 0, 0, 0, 0, 0, 0, 0, 0], "num_keypoints": 0}]})");
}

// The problem `read` reports, as the user reads it.
std::string problem(const std::function<void()>& read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(CocoJson, ReadsTruthAsPycocotools) {
  const GroundTruth truth = coco_truth(truth_document(), IouType::keypoints, "gt.json");
  EXPECT_EQ(truth.image_ids, (std::vector<std::int64_t>{4, 9}));
  ASSERT_EQ(truth.categories.size(), 1u);
  EXPECT_EQ(truth.categories[0].name, "head");
  ASSERT_EQ(truth.objects.size(), 2u);
  const TruthObject& first = truth.objects[0];
  EXPECT_EQ(first.id, 3);
  EXPECT_EQ(first.box.w, 10);
  EXPECT_EQ(first.area, 150);  // COCO's area, not the box's 200
  EXPECT_FALSE(first.crowd);
  EXPECT_EQ(first.num_keypoints, 2);  // absent: the labelled keypoints
  EXPECT_TRUE(truth.objects[1].crowd);
  EXPECT_EQ(truth.objects[1].num_keypoints, 0);
}

TEST(CocoJson, ResultAreasAreLoadRes) {
  const GroundTruth truth = coco_truth(truth_document(), IouType::keypoints, "gt.json");
  const auto results = coco_results(json::parse(R"([
      {"image_id": 4, "category_id": 1, "score": 0.5, "keypoints": [1, 2, 1, 4, 8, 1, 2, 3, 0]},
      {"image_id": 9, "category_id": 1, "score": 0.4, "bbox": [0, 0, 3, 5],
       "keypoints": [1, 2, 1, 4, 8, 1, 2, 3, 0]}])"),
                                    truth, IouType::keypoints, "res.json");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].area, 3.0 * 6.0);  // keypoint extent, unlabelled ones included
  EXPECT_EQ(results[1].area, 15.0);       // a result with a box: the box's area
  EXPECT_EQ(results[1].keypoints.size(), 9u);
}

TEST(CocoJson, BadTruthNamesFileAnnotationAndProblem) {
  auto with = [](const std::function<void(json&)>& change) {
    json document = truth_document();
    change(document);
    return problem([&] { coco_truth(document, IouType::keypoints, "gt.json"); });
  };
  EXPECT_EQ(with([](json& d) { d["annotations"][1]["id"] = 3; }),
            "gt.json: annotation 3: is listed twice");
  EXPECT_EQ(with([](json& d) { d["annotations"][0]["id"] = 0; }),
            "gt.json: annotation 0: has an id below 1 (COCOeval reads a match to 0 as none)");
  EXPECT_EQ(with([](json& d) { d["annotations"][1]["category_id"] = 2; }),
            "gt.json: annotation 5: category_id 2 is not in the categories");
  EXPECT_EQ(with([](json& d) {
              d["annotations"][1]["keypoints"] = json::array({1, 2, 2});
            }),
            "gt.json: annotation 5: 'keypoints' has 3 values where the others have 9");
  EXPECT_EQ(with([](json& d) {
              d["annotations"][0]["bbox"] = json::array({1, 2, 3});
            }),
            "gt.json: annotation 3: 'bbox' has 3 values, not x, y, w, h");
  EXPECT_EQ(with([](json& d) { d["annotations"][0]["area"] = "big"; }),
            "gt.json: annotation 3: 'area' is not a number");
  EXPECT_EQ(with([](json& d) { d.erase("categories"); }),
            "gt.json: top level: has no 'categories' array");
  EXPECT_EQ(with([](json& d) {
              d["images"].push_back({{"id", 4}});
            }),
            "gt.json: image 4: is listed twice");
}

TEST(CocoJson, BadResultsNameFileResultAndProblem) {
  const GroundTruth truth = coco_truth(truth_document(), IouType::bbox, "gt.json");
  auto read = [&](const char* text) {
    return problem([&] { coco_results(json::parse(text), truth, IouType::bbox, "res.json"); });
  };
  EXPECT_EQ(read(R"([{"image_id": 4, "category_id": 1, "score": 0.5}])"),
            "res.json: result #1: has no 'bbox'");
  EXPECT_EQ(read(R"([{"image_id": 4, "category_id": 1, "bbox": [0, 0, 1, 1], "score": 0.5},
                     {"image_id": 4, "category_id": 0, "bbox": [0, 0, 1, 1], "score": 0.5}])"),
            "res.json: result #2: category_id 0 is not in the categories");
  EXPECT_EQ(read(R"({"image_id": 4})"), "res.json: top level: is not an array of results");
  EXPECT_EQ(read(R"([{"image_id": 4, "category_id": 1, "bbox": [0, 0, 1, 1]}])"),
            "res.json: result #1: has no 'score'");
}

}  // namespace
}  // namespace quarry::detect
