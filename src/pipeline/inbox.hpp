#pragma once
// The inbox: annotation files people or tools drop into WORKSPACE/inbox/, each read in the
// format its extension names.
#include <filesystem>
#include <map>
#include <vector>

#include "ingest/readers/readers.hpp"

namespace quarry::pipeline {

// .json Label Studio (.coco.json COCO, pools with objects), .xml CVAT, .jsonl/.manifest SageMaker
// Ground Truth, .csv id,annotator,label (or objects).
// InputError naming the file for any other extension.
ingest::AnnotationFormat format_from_extension(const std::filesystem::path& file);

// The inbox's files (hidden ones skipped), grouped by format, sorted by name.
std::map<ingest::AnnotationFormat, std::vector<std::filesystem::path>> inbox_files(
    const std::filesystem::path& inbox);

}  // namespace quarry::pipeline
