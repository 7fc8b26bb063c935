#pragma once
// The object side of the readers (detection and keypoint pools): each tool's own output format
// for boxes and keypoints, read into AnnotationRecord::objects in pixels of the image the
// annotator saw. A record is one annotator's answer on one item, with all its objects (none is
// an answer too). Problems throw std::invalid_argument with the region named, and read_record
// turns them into the record's rejection.
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "ingest/readers/record.hpp"

namespace quarry::ingest {

// Label Studio: one annotation's `result` list (rectanglelabels, keypointlabels with parentID).
std::vector<RecordObject> label_studio_objects(const nlohmann::json& annotation);

// CVAT for images 1.1: one <image>'s <box> elements with the <points> (loose or inside a
// <skeleton>) that share their group_id. Every shape counts, source="auto" too: an annotator
// who keeps a pre-label unchanged accepts it (deleting it is how one rejects it).
std::vector<RecordObject> cvat_image_objects(const pugi::xml_node& image, const std::string& text);

// SageMaker Ground Truth bounding-box output: a worker's answer content
// ({"boundingBox": {"boundingBoxes": [{label, left, top, width, height}]}}, any top-level key).
std::vector<RecordObject> sagemaker_worker_objects(const nlohmann::json& content);
// The consolidated label attribute of type groundtruth/object-detection: `annotations`
// [{class_id, left, top, width, height}] with the metadata's class-map and objects[].confidence.
std::vector<RecordObject> sagemaker_consolidated_objects(const nlohmann::json& attribute,
                                                         const nlohmann::json& metadata);

// COCO annotations JSON (images, categories with keypoint names, annotations with bbox
// [x, y, w, h] and keypoints [x, y, v, ...]): one record per image, annotator `annotator` (else
// the file's info.contributor).
void read_coco_objects(const std::string& text, const std::string& annotator, RecordSink& sink);

// CSV, one row per object: header `id,annotator,class,x0,y0,x1,y1` plus optional `score`,
// `object`, `file` and `<keypoint>_x,<keypoint>_y,<keypoint>_v` columns, in any order; the rows
// of one (id, annotator) are one answer; a row with an empty class and box is an answer with no
// objects. Pre-label lists (quarry export's csv/objects.csv) have no annotator column: their
// records are named "pre-label".
void read_csv_objects(const std::string& text, RecordSink& sink, bool annotator_required = true);

}  // namespace quarry::ingest
