#include "ingest/readers/readers.hpp"

#include "core/error.hpp"
#include "ingest/readers/csv.hpp"
#include "ingest/readers/object_readers.hpp"

namespace quarry::ingest {

AnnotationFormat parse_annotation_format(const std::string& name) {
  if (name == "label-studio") return AnnotationFormat::label_studio;
  if (name == "cvat") return AnnotationFormat::cvat;
  if (name == "sagemaker") return AnnotationFormat::sagemaker;
  if (name == "csv") return AnnotationFormat::csv;
  if (name == "coco") return AnnotationFormat::coco;
  throw UsageError("unknown annotation format '" + name + "'",
                   "use one of label-studio, cvat, sagemaker, csv, coco");
}

const char* format_name(AnnotationFormat format) {
  switch (format) {
    case AnnotationFormat::label_studio:
      return "label-studio";
    case AnnotationFormat::cvat:
      return "cvat";
    case AnnotationFormat::sagemaker:
      return "sagemaker";
    case AnnotationFormat::csv:
      return "csv";
    case AnnotationFormat::coco:
      return "coco";
  }
  return "?";
}

RecordSink read_annotations(const std::filesystem::path& file, AnnotationFormat format,
                            const ReaderOptions& options,
                            std::function<void(RecordSink&)> take_batches) {
  RecordSink sink(file, options.skip_bad);
  if (take_batches) sink.hand_over_every(kRecordBatch, std::move(take_batches));
  if (format == AnnotationFormat::coco && !options.objects)
    throw UsageError(
        "--format coco carries boxes and keypoints, but the pool's task is classify",
        "ingest a classification pool's answers as label-studio, cvat, sagemaker or csv");
  if (format == AnnotationFormat::csv && options.objects) {
    read_csv_objects(read_annotation_file(file), sink);
    return sink;
  }
  if (format == AnnotationFormat::csv) {  // the one format read piece by piece
    read_csv_file(file, sink);
    return sink;
  }
  const std::string text = read_annotation_file(file);
  switch (format) {
    case AnnotationFormat::label_studio:
      read_label_studio(text,
                        options.label_studio_users ? *options.label_studio_users : AnnotatorMap{},
                        sink, options.objects);
      break;
    case AnnotationFormat::cvat:
      read_cvat(text, options.annotator, sink, options.objects);
      break;
    case AnnotationFormat::sagemaker:
      read_sagemaker(text, sink, options.objects);
      break;
    case AnnotationFormat::coco:
      read_coco_objects(text, options.annotator, sink);
      break;
    case AnnotationFormat::csv:
      break;
  }
  return sink;
}

}  // namespace quarry::ingest
