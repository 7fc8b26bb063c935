#include "ingest/readers/readers.hpp"

#include "core/error.hpp"
#include "ingest/readers/csv.hpp"

namespace quarry::ingest {

AnnotationFormat parse_annotation_format(const std::string& name) {
  if (name == "label-studio") return AnnotationFormat::label_studio;
  if (name == "cvat") return AnnotationFormat::cvat;
  if (name == "sagemaker") return AnnotationFormat::sagemaker;
  if (name == "csv") return AnnotationFormat::csv;
  throw UsageError("unknown annotation format '" + name + "'",
                   "use one of label-studio, cvat, sagemaker, csv");
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
  }
  return "?";
}

RecordSink read_annotations(const std::filesystem::path& file, AnnotationFormat format,
                            const ReaderOptions& options,
                            std::function<void(RecordSink&)> take_batches) {
  RecordSink sink(file, options.skip_bad);
  if (take_batches) sink.hand_over_every(kRecordBatch, std::move(take_batches));
  if (format == AnnotationFormat::csv) {  // the one format read piece by piece
    read_csv_file(file, sink);
    return sink;
  }
  const std::string text = read_annotation_file(file);
  switch (format) {
    case AnnotationFormat::label_studio:
      read_label_studio(
          text, options.label_studio_users ? *options.label_studio_users : AnnotatorMap{}, sink);
      break;
    case AnnotationFormat::cvat:
      read_cvat(text, options.annotator, sink);
      break;
    case AnnotationFormat::sagemaker:
      read_sagemaker(text, sink);
      break;
    case AnnotationFormat::csv:
      break;
  }
  return sink;
}

}  // namespace quarry::ingest
