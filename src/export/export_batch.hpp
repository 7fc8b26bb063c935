#pragma once
// What an export writes, independent of any tool's format: the tasks in the order annotators
// see them, each with its item id, image file, pre-labels and assigned annotators. Every format
// writer renders this one structure, so all formats agree on ids, order and predictions.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "files/png/png_codec.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/source_coordinates.hpp"

namespace quarry::exporting {

// A model suggestion shown to the annotator: the whole image's class (classification pools).
struct PreLabel {
  enum class Kind { choice };
  Kind kind = Kind::choice;
  std::int32_t class_index = 0;
  float probability = 0;  // the model's probability for this class
};

// One detection shown as a pre-label (detection and keypoint pools), in the pixels of the image
// the annotator sees (the original file where the pool has /source, else the pool's pixels).
struct ObjectPreLabel {
  std::int32_t class_index = 0;
  float confidence = 0;                    // the detection's confidence
  std::array<double, 4> box{};             // x0, y0, x1, y1
  std::vector<double> keypoints;           // keypoint pools: K * (x, y, visibility 0/1/2)
  std::vector<float> keypoint_confidence;  // K: the model's confidence in each keypoint
};

// Why an item is in the export. Never written where annotators can see it: gold items must
// look like any other task so ingest can measure each annotator's accuracy on them.
enum class Origin { adjudication, selected, gold };

struct ExportTask {
  std::uint64_t id = 0;        // the pool's item id, carried by every record of every format
  std::uint64_t pool_row = 0;  // where its pixels are in the pool
  std::string file;            // "images/<id>.png", relative to the export folder
  float score = 0;             // acquisition value (higher = more informative)
  std::vector<PreLabel> prelabels;
  std::vector<ObjectPreLabel> objects;  // pools with objects: detections above the threshold
  pool::ImageSize shown;  // the image the annotator sees: the original's size, else the pool's
  std::string original;   // the original file `file` is made from; empty: the pool's pixels
  std::vector<std::uint32_t> annotators;  // indices into ExportBatch::annotators
  Origin origin = Origin::selected;
  std::int32_t known_label = -1;  // gold items: the ledger's label (for the lead, not the tools)
};

using ImageShape = png::ImageShape;

struct ExportBatch {
  std::vector<std::string> classes;
  ImageShape image;  // the pool's items
  // The pool's task: classify, or detect/keypoints with the keypoint names and skeleton.
  pool::TaskInfo task;
  float prelabel_min_confidence = 0;  // pools with objects: detections below are not shown

  bool has_objects() const { return task.kind != pool::Task::classify; }
  std::string model_version;            // "model.pt@<sha256 prefix>"
  std::vector<std::string> annotators;  // empty: no assignment
  std::vector<ExportTask> tasks;        // export order: adjudication first
};

// "images/<id>.png": the shared naming convention with ingest.
std::string image_file_for(std::uint64_t id);

// Every task, in export order (indices into batch.tasks).
std::vector<std::size_t> all_tasks(const ExportBatch& batch);

// The tasks assigned to annotator `a`, in export order (indices into batch.tasks).
std::vector<std::size_t> tasks_of_annotator(const ExportBatch& batch, std::uint32_t a);

}  // namespace quarry::exporting
