#pragma once
// A COCO annotations file (instances or person-keypoints style), read and checked in the
// original images' coordinates: every problem is an InputError naming the file, the annotation
// (or image, or category) id and what is wrong, before any pixel is read.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quarry::pool {

struct CocoImage {
  std::uint64_t id = 0;
  std::string file_name;
  std::uint32_t width = 0, height = 0;  // 0 where the file does not say (taken from the image)
};

struct CocoCategory {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> keypoints;                 // names; empty for instances
  std::vector<std::array<std::int32_t, 2>> skeleton;  // 0-based here (COCO's are 1-based)
};

struct CocoAnnotation {
  std::int64_t id = 0;
  std::size_t image = 0;         // index into CocoFile::images
  std::int32_t label = 0;        // index into CocoFile::categories (sorted by id)
  std::array<double, 4> bbox{};  // x, y, w, h in the original image
  double area = -1;              // COCO's area; < 0 where the file has none
  bool crowd = false;
  std::vector<float> keypoints;  // K*3 (x, y, v) or empty
};

struct CocoFile {
  std::vector<CocoImage> images;            // in the file's order
  std::vector<CocoCategory> categories;     // sorted by id: label = index
  std::vector<CocoAnnotation> annotations;  // grouped by image in images' order, then by id
  std::vector<std::string> keypoint_names;  // shared by every category that has keypoints
  std::vector<std::array<std::int32_t, 2>> skeleton;
};

CocoFile read_coco_file(const std::filesystem::path& path);

// Boxes may reach this far past the image's border (COCO's polygon-derived boxes sometimes do);
// they are clipped to it. Further out is bad input.
inline constexpr double kBorderSlack = 1.0;

// Checks boxes and keypoints against the image's size (known once the image was opened):
// InputError naming `file` and the annotation id.
void check_annotation_in_image(const std::string& file, const CocoAnnotation& annotation,
                               std::uint32_t width, std::uint32_t height);

}  // namespace quarry::pool
