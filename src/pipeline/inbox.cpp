#include "pipeline/inbox.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

ingest::AnnotationFormat format_from_extension(const fs::path& file) {
  auto extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  // COCO and Label Studio both write .json; COCO files (detection and keypoint pools) say so in
  // their name, since reading a large export to tell them apart would cost a parse per file.
  if (extension == ".json" && file.stem().extension() == ".coco")
    return ingest::AnnotationFormat::coco;
  if (extension == ".json") return ingest::AnnotationFormat::label_studio;
  if (extension == ".xml") return ingest::AnnotationFormat::cvat;
  if (extension == ".jsonl" || extension == ".manifest") return ingest::AnnotationFormat::sagemaker;
  if (extension == ".csv") return ingest::AnnotationFormat::csv;
  throw InputError(
      file.string(), "extension", "not an annotation file quarry reads",
      ".json Label Studio, .coco.json COCO, .xml CVAT, .jsonl or .manifest SageMaker Ground Truth, "
      ".csv id,annotator,label; move other files out of the inbox");
}

std::map<ingest::AnnotationFormat, std::vector<fs::path>> inbox_files(const fs::path& inbox) {
  std::vector<fs::path> files;
  if (fs::is_directory(inbox))
    for (const auto& entry : fs::directory_iterator(inbox))
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
        files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::map<ingest::AnnotationFormat, std::vector<fs::path>> groups;
  for (const auto& file : files) groups[format_from_extension(file)].push_back(file);
  return groups;
}

}  // namespace quarry::pipeline
