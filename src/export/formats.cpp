#include "export/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "core/error.hpp"

namespace quarry::exporting {

const std::vector<Format>& all_formats() {
  static const std::vector<Format> formats = {Format::label_studio, Format::cvat, Format::coco,
                                              Format::sagemaker, Format::csv};
  return formats;
}

const char* format_name(Format format) {
  switch (format) {
    case Format::label_studio:
      return "label-studio";
    case Format::cvat:
      return "cvat";
    case Format::coco:
      return "coco";
    case Format::sagemaker:
      return "sagemaker";
    case Format::csv:
      return "csv";
  }
  return "?";
}

std::vector<Format> parse_formats(const std::string& text) {
  std::vector<std::string> known;
  for (Format format : all_formats()) known.emplace_back(format_name(format));
  std::vector<Format> formats;
  std::stringstream stream(text);
  std::string name;
  while (std::getline(stream, name, ',')) {
    auto found = std::find(known.begin(), known.end(), name);
    if (found == known.end())
      throw UsageError(fmt::format("--format: unknown format '{}'", name),
                       fmt::format("choose from {}", fmt::join(known, ", ")));
    const Format format = all_formats()[found - known.begin()];
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      formats.push_back(format);
  }
  if (formats.empty())
    throw UsageError("--format: no format given",
                     fmt::format("choose one or more of {}", fmt::join(known, ", ")));
  return formats;
}

}  // namespace quarry::exporting
