#pragma once
// One reader per annotation tool's export; each turns a file into AnnotationRecords.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "ingest/readers/annotator_map.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

enum class AnnotationFormat { label_studio, cvat, sagemaker, csv, coco };

// "label-studio", "cvat", "sagemaker", "csv", "coco" (UsageError otherwise; coco carries
// objects only).
AnnotationFormat parse_annotation_format(const std::string& name);
const char* format_name(AnnotationFormat format);

struct ReaderOptions {
  bool skip_bad = false;  // collect bad records instead of stopping at the first
  // CVAT: who annotated this file (overrides <assignee>/<owner> in its <meta>).
  std::string annotator;
  // Label Studio: who each user id is (--annotator-map); null: no map.
  const AnnotatorMap* label_studio_users = nullptr;
  // Detection and keypoint pools: read each answer's objects (object_readers.hpp), not a class.
  bool objects = false;
};

// Label Studio's JSON export: a list of tasks, `data.quarry_id`, one record per annotation in
// `annotations` (cancelled ones and ones without a choice skipped), `completed_by` the
// annotator: the email of the expanded user object, else the user id named by
// label_studio_annotator (its email from `users`, else "label-studio:<id>"); a string as is.
void read_label_studio(const std::string& text, const AnnotatorMap& users, RecordSink& sink,
                       bool objects = false);
// CVAT for images 1.1 XML: <image name="images/<id>.png"> with <tag label=...>; tags with
// source="auto" are quarry's own pre-labels and are ignored.
void read_cvat(const std::string& text, const std::string& annotator, RecordSink& sink,
               bool objects = false);
// SageMaker Ground Truth output manifest (JSON Lines): per-worker answers in `annotations`
// where present, else the consolidated label attribute (`<attr>-metadata` of type
// groundtruth/image-classification) with the job name as annotator.
void read_sagemaker(const std::string& text, RecordSink& sink, bool objects = false);
// CSV `id,annotator,label` (header optional, RFC 4180 quoting).
void read_csv(const std::string& text, RecordSink& sink);

// Reads one file in `format` (InputError for an empty or unreadable file). With
// `take_batches`, the records go to it in batches of kRecordBatch as they are read, and the
// sink returned holds the last, partial batch (RecordSink::hand_over_every).
inline constexpr std::size_t kRecordBatch = 16384;
RecordSink read_annotations(const std::filesystem::path& file, AnnotationFormat format,
                            const ReaderOptions& options,
                            std::function<void(RecordSink&)> take_batches = {});

}  // namespace quarry::ingest
