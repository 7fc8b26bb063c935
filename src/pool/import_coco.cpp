// coco importer: a COCO annotations file (instances or person-keypoints style) and its images
// folder. Images of any size are letterboxed into the pool's H x W; boxes, areas and keypoints
// follow the same transform, kept per item in /source/transform. Item ids are COCO image ids,
// labels are category indices in id order (the COCO ids kept in the category_ids attribute).
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "pool/coco_json.hpp"
#include "pool/import.hpp"
#include "pool/import_util.hpp"
#include "pool/letterbox.hpp"

namespace quarry::pool {

namespace {
namespace fs = std::filesystem;

// Keypoints named left_* / right_* (any name holding "left" and its "right" twin) swap under a
// horizontal flip.
std::vector<std::array<std::int32_t, 2>> flip_pairs_from_names(
    const std::vector<std::string>& names) {
  std::vector<std::array<std::int32_t, 2>> pairs;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto at = names[i].find("left");
    if (at == std::string::npos) continue;
    std::string twin = names[i];
    twin.replace(at, 4, "right");
    auto j = std::find(names.begin(), names.end(), twin);
    if (j != names.end()) pairs.push_back({std::int32_t(i), std::int32_t(j - names.begin())});
  }
  return pairs;
}

// COCO's person keypoints and the sigmas cocoapi uses for them; other keypoint sets get the
// uniform default.
std::vector<double> sigmas_for(const std::vector<std::string>& names) {
  static const std::vector<std::string> kPerson = {
      "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
      "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
      "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};
  static const std::vector<double> kPersonSigmas = {.026, .025, .025, .035, .035, .079,
                                                    .079, .072, .072, .062, .062, .107,
                                                    .107, .087, .087, .089, .089};
  if (names == kPerson) return kPersonSigmas;
  return std::vector<double>(names.size(), kDefaultKeypointSigma);
}

TaskInfo coco_task(const CocoFile& coco) {
  TaskInfo task;
  task.kind = coco.keypoint_names.empty() ? Task::detect : Task::keypoints;
  task.keypoint_names = coco.keypoint_names;
  task.flip_pairs = flip_pairs_from_names(coco.keypoint_names);
  task.skeleton = coco.skeleton;
  task.keypoint_sigmas = sigmas_for(coco.keypoint_names);
  task.has_objects = true;
  for (const CocoCategory& category : coco.categories) task.category_ids.push_back(category.id);
  return task;
}

bool is_png_name(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".png";
}

// Every image file exists and is a PNG, before anything is decoded.
std::vector<fs::path> image_paths(const CocoFile& coco, const ImportRequest& request) {
  std::vector<fs::path> paths;
  for (const CocoImage& image : coco.images) {
    fs::path path = request.images / image.file_name;
    const std::string what = fmt::format("image {}", image.id);
    if (!fs::is_regular_file(path))
      throw InputError(request.input.string(), what,
                       fmt::format("names file {}, which does not exist", path.string()),
                       "--images is the folder the file_name entries are relative to");
    if (!is_png_name(path))
      throw InputError(request.input.string(), what,
                       fmt::format("names {}; this quarry imports PNG images only", path.string()),
                       "convert the images to PNG (e.g. mogrify -format png *.jpg) and rename "
                       "file_name entries to match");
    paths.push_back(std::move(path));
  }
  return paths;
}

struct Layout {
  std::uint32_t channels, height, width;
  std::size_t item_bytes() const { return std::size_t(channels) * height * width; }
};

// Decodes, checks and letterboxes one image into `out`; returns its transform.
Letterbox load_image(const fs::path& path, const CocoImage& image, const Layout& layout,
                     const std::string& annotations_file, std::span<std::uint8_t> out) {
  png::PngFile png(path);
  const png::ImageShape& shape = png.shape();
  if (image.width > 0 && (shape.width != image.width || shape.height != image.height))
    throw InputError(annotations_file, fmt::format("image {}", image.id),
                     fmt::format("is {}x{} in the annotations, but {} is {}", image.width,
                                 image.height, path.string(), png.describe()));
  std::vector<std::uint8_t> planar(std::size_t(shape.channels) * shape.width * shape.height);
  png.decode(planar);
  planar = convert_channels(planar, shape.channels, layout.channels);
  const Letterbox box = fit_letterbox(shape.width, shape.height, layout.width, layout.height);
  letterbox_image(planar, layout.channels, shape.width, shape.height, box, layout.width,
                  layout.height, out);
  return box;
}

float clamp_to(double value, std::uint32_t limit) {
  return static_cast<float>(std::clamp(value, 0.0, double(limit)));
}

// The image's annotations, transformed into stored pixels, as one row of `objects`.
void add_image_objects(ObjectTable& objects, std::span<const CocoAnnotation> annotations,
                       const Letterbox& box, const Layout& layout) {
  objects.add_row();
  std::vector<float> keypoints;
  for (const CocoAnnotation& a : annotations) {
    const auto& b = a.bbox;
    const std::array<float, 4> stored = {
        clamp_to(box.x(b[0]), layout.width), clamp_to(box.y(b[1]), layout.height),
        clamp_to(box.x(b[0] + b[2]), layout.width), clamp_to(box.y(b[1] + b[3]), layout.height)};
    keypoints = a.keypoints;
    for (std::size_t k = 0; 3 * k < keypoints.size(); ++k) {
      float* p = &keypoints[3 * k];
      if (p[2] == kNotLabelled) {
        p[0] = p[1] = 0;
        continue;
      }
      p[0] = clamp_to(box.x(p[0]), layout.width);
      p[1] = clamp_to(box.y(p[1]), layout.height);
    }
    const double area = a.area >= 0 ? a.area * box.scale * box.scale : -1.0;
    objects.add_object(stored, a.label, keypoints, a.crowd, static_cast<float>(area));
  }
}

struct Prepared {
  CocoFile coco;
  std::vector<fs::path> paths;
  std::vector<std::size_t> first_annotation;  // per image, plus one past the last
  Layout layout;
};

Prepared prepare(const ImportRequest& request) {
  if (request.height == 0 || request.width == 0)
    throw UsageError("pool import --format coco needs --size HxW (the pool's image size)");
  if (request.images.empty())
    throw UsageError("pool import --format coco needs --images DIR (the images folder)");
  Prepared p{read_coco_file(request.input), {}, {}, {}};
  if (p.coco.images.empty()) throw InputError(request.input.string(), "\"images\"", "is empty");
  p.paths = image_paths(p.coco, request);
  std::uint32_t channels = request.channels;
  if (channels == 0) channels = png::PngFile(p.paths.front()).shape().channels;
  p.layout = {channels, request.height, request.width};
  p.first_annotation.assign(p.coco.images.size() + 1, 0);
  for (const CocoAnnotation& a : p.coco.annotations) ++p.first_annotation[a.image + 1];
  for (std::size_t i = 0; i < p.coco.images.size(); ++i)
    p.first_annotation[i + 1] += p.first_annotation[i];
  return p;
}

PoolSpec coco_spec(const Prepared& p, const ImportRequest& request) {
  PoolSpec spec;
  spec.count = p.coco.images.size();
  spec.shape = checked_item_shape(request.input.string(), spec.count, Kind::images,
                                  {p.layout.channels, p.layout.height, p.layout.width});
  for (const CocoCategory& category : p.coco.categories) spec.classes.push_back(category.name);
  spec.source = "coco " + request.input.string();
  spec.task = coco_task(p.coco);
  spec.has_sources = true;
  return spec;
}

// Loads rows [first, first + rows) in parallel. Failures are collected per row and the earliest
// rethrown, so the error a user sees does not depend on thread timing.
std::vector<Letterbox> load_batch(const Prepared& p, const ImportRequest& request,
                                  std::size_t first, std::size_t rows,
                                  std::span<std::uint8_t> pixels) {
  std::vector<Letterbox> boxes(rows);
  std::vector<std::exception_ptr> errors(rows);
  const std::size_t item = p.layout.item_bytes();
  tbb::parallel_for(std::size_t{0}, rows, [&](std::size_t row) {
    try {
      const std::size_t i = first + row;
      boxes[row] = load_image(p.paths[i], p.coco.images[i], p.layout, request.input.string(),
                              pixels.subspan(row * item, item));
      if (p.coco.images[i].width == 0) {  // sizes known only now: check the annotations
        const png::ImageShape shape = png::PngFile(p.paths[i]).shape();
        for (std::size_t a = p.first_annotation[i]; a < p.first_annotation[i + 1]; ++a)
          check_annotation_in_image(request.input.string(), p.coco.annotations[a], shape.width,
                                    shape.height);
      }
    } catch (...) {
      errors[row] = std::current_exception();
    }
  });
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
  return boxes;
}

}  // namespace

void import_coco(const ImportRequest& request) {
  const Prepared p = prepare(request);
  PoolWriter writer(request.out, request.overwrite, coco_spec(p, request));
  const std::size_t count = p.coco.images.size();
  const std::size_t batch = std::min<std::size_t>(batch_rows(writer.spec().shape), count);
  std::vector<std::uint8_t> pixels(batch * p.layout.item_bytes());
  for (std::size_t first = 0; first < count; first += batch) {
    const std::size_t rows = std::min(batch, count - first);
    const auto batch_pixels = std::span(pixels).first(rows * p.layout.item_bytes());
    const std::vector<Letterbox> boxes = load_batch(p, request, first, rows, batch_pixels);
    std::vector<std::uint64_t> ids;
    std::vector<std::string> paths;
    std::vector<float> transform;
    ObjectTable objects;
    for (std::size_t row = 0; row < rows; ++row) {
      const std::size_t i = first + row;
      ids.push_back(p.coco.images[i].id);
      paths.push_back(p.paths[i].string());
      transform.insert(transform.end(),
                       {float(boxes[row].scale), float(boxes[row].dx), float(boxes[row].dy)});
      add_image_objects(
          objects,
          std::span(p.coco.annotations)
              .subspan(p.first_annotation[i], p.first_annotation[i + 1] - p.first_annotation[i]),
          boxes[row], p.layout);
    }
    writer.append(std::span<const std::uint8_t>(batch_pixels), ids);
    writer.append_objects(objects);
    writer.append_sources(paths, transform);
  }
  writer.finish();
}

}  // namespace quarry::pool
