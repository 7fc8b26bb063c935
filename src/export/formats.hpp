#pragma once
// The annotation tools quarry exports to, by their command-line names.
#include <string>
#include <vector>

namespace quarry::exporting {

enum class Format { label_studio, cvat, coco, sagemaker, csv };

// "label-studio,cvat,..." in the order given, duplicates dropped; an unknown or empty name is
// a UsageError listing the known ones.
std::vector<Format> parse_formats(const std::string& text);
const char* format_name(Format format);
const std::vector<Format>& all_formats();

}  // namespace quarry::exporting
