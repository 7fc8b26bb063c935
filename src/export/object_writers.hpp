#pragma once
// The parts of each tool's files that differ for pools with objects (detect, keypoints): boxes and
// keypoints as each tool imports pre-labels, in the pixels of the image the annotator sees (see
// object_prelabels.hpp). The writers in writers.hpp call these where the batch has objects; the
// rest of each format (task lists, per-annotator files, folders) is shared with classification.
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>

#include "export/export_batch.hpp"

namespace quarry::exporting {

// Label Studio: the names tying results to the labeling config's tags.
inline constexpr const char* kLabelStudioBoxes = "label";
inline constexpr const char* kLabelStudioKeypoints = "keypoint";
inline constexpr const char* kLabelStudioImage = "image";

// A task's prediction results: one rectanglelabels region per object (percent of
// original_width/height, its confidence as `score`) and one keypointlabels region per labelled
// keypoint, tied to its box by `parentID`.
nlohmann::json label_studio_object_results(const ExportBatch& batch, const ExportTask& task);
// The config's RectangleLabels (classes) and KeyPointLabels (keypoint names) under `view`.
void add_label_studio_object_tags(const ExportBatch& batch, pugi::xml_node view);

// CVAT for images 1.1: the labels in <meta> (classes as rectangle labels; keypoint names as
// points labels, or one skeleton label "keypoints" with them as its elements where the pool has
// a skeleton), and a task's objects under its <image>, each box and its keypoints sharing a
// group_id, all with source="auto".
inline constexpr const char* kCvatSkeletonLabel = "keypoints";
void add_cvat_object_labels(const ExportBatch& batch, pugi::xml_node labels);
void add_cvat_objects(const ExportBatch& batch, const ExportTask& task, pugi::xml_node image);

// COCO: categories with the keypoint names and 1-based skeleton; one annotation per pre-label
// (bbox, area, iscrowd, the box as a polygon, keypoints and num_keypoints, score); the same
// pre-labels as a results list [{image_id, category_id, bbox, score, keypoints}].
nlohmann::json coco_object_categories(const ExportBatch& batch);
void add_coco_objects(const ExportTask& task, std::size_t image_id, nlohmann::json& annotations,
                      nlohmann::json& results);

// SageMaker Ground Truth: one input manifest line for a bounding-box adjustment job, the
// pre-labels as the label attribute of an earlier job (kSageMakerLabelAttribute and its
// -metadata).
inline constexpr const char* kSageMakerLabelAttribute = "quarry-prelabels";
// `creation_date` as Ground Truth writes it ("2026-12-06T08:30:00.000000"), one for the export.
nlohmann::json sagemaker_object_line(const ExportBatch& batch, const ExportTask& task,
                                     const std::string& prefix, const std::string& creation_date);
std::string sagemaker_creation_date();

// CSV: one row per object: id,file,object,class,x0,y0,x1,y1,score then <name>_x,<name>_y,<name>_v
// per keypoint (the header), in the annotator's image.
std::string csv_objects_header(const ExportBatch& batch);
std::string csv_object_rows(const ExportBatch& batch, const ExportTask& task);

}  // namespace quarry::exporting
