#include "simulate/object_annotators.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "core/seeded.hpp"
#include "files/pool/source_coordinates.hpp"
#include "ingest/objects/iou_match.hpp"
#include "ingest/objects/object_pool.hpp"

namespace quarry::simulate {

namespace {

using ingest::objects::DrawnObject;

// Streams of the per-item draws, kept apart from the classification annotators' (annotators.cpp).
enum Stream : std::uint64_t { kRotation = 11, kNoise = 12 };

double parse_share(const std::string& text) {
  const auto value = parse_double(text);
  if (!value || !(*value >= 0 && *value <= 1))
    throw UsageError(fmt::format("--object-annotators: '{}' is not a share in [0, 1]", text),
                     "write corner:miss:false:class:keypoint per annotator, for example "
                     "0.03:0.08:0.1:0.05:0.03");
  return *value;
}

class Annotator {
 public:
  Annotator(const ObjectAnnotatorModel& model, const ImageFrame& frame, std::uint64_t seed)
      : model_(model), frame_(frame), rng_(seed) {}

  // The true object as this annotator draws it: corners and keypoints jittered, the class
  // sometimes wrong (wrong_label: the true one otherwise).
  DrawnObject draw(const DrawnObject& truth, std::int32_t classes) {
    DrawnObject o = truth;
    o.confidence = 1;
    const double w = truth.box[2] - truth.box[0], h = truth.box[3] - truth.box[1];
    for (int c = 0; c < 4; ++c) o.box[c] += normal() * model_.corner_sd * (c % 2 == 0 ? w : h);
    keep_inside(o);
    if (classes > 1 && unit() < model_.wrong_class)
      o.label = std::int32_t((truth.label + 1 + std::int32_t(unit() * (classes - 1))) % classes);
    for (std::size_t k = 0; k + 2 < o.keypoints.size(); k += 3) place(o, truth, k);
    return o;
  }

  // Keypoint k (its index in the triples) of `o` placed at the true one, jittered.
  void place(DrawnObject& o, const DrawnObject& truth, std::size_t k) {
    if (truth.keypoints[k + 2] <= 0) {
      o.keypoints[k] = o.keypoints[k + 1] = o.keypoints[k + 2] = 0;
      return;
    }
    const double w = truth.box[2] - truth.box[0], h = truth.box[3] - truth.box[1];
    o.keypoints[k] =
        std::clamp(truth.keypoints[k] + normal() * model_.keypoint_sd * w, 0.0, frame_.width);
    o.keypoints[k + 1] =
        std::clamp(truth.keypoints[k + 1] + normal() * model_.keypoint_sd * h, 0.0, frame_.height);
    o.keypoints[k + 2] = truth.keypoints[k + 2];
  }

  // A box where there is nothing: a tenth to a third of the image, anywhere in it.
  DrawnObject false_box(std::int32_t classes, std::size_t keypoints) {
    DrawnObject o;
    const double w = frame_.width * (0.1 + 0.23 * unit()),
                 h = frame_.height * (0.1 + 0.23 * unit());
    const double x = unit() * (frame_.width - w), y = unit() * (frame_.height - h);
    o.box = {x, y, x + w, y + h};
    o.label = std::int32_t(unit() * classes) % std::max(classes, 1);
    for (std::size_t k = 0; k < keypoints; ++k)
      o.keypoints.insert(o.keypoints.end(), {x + unit() * w, y + unit() * h, 2.0});
    return o;
  }

  double unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

 private:
  double normal() { return std::normal_distribution<double>(0, 1)(rng_); }

  void keep_inside(DrawnObject& o) const {
    o.box[0] = std::clamp(o.box[0], 0.0, frame_.width - 1);
    o.box[1] = std::clamp(o.box[1], 0.0, frame_.height - 1);
    o.box[2] = std::clamp(o.box[2], o.box[0] + 1, frame_.width);
    o.box[3] = std::clamp(o.box[3], o.box[1] + 1, frame_.height);
  }

  const ObjectAnnotatorModel& model_;
  const ImageFrame& frame_;
  std::mt19937_64 rng_;
};

double box_area(const DrawnObject& o) {
  return (o.box[2] - o.box[0]) * (o.box[3] - o.box[1]);
}

// Keeps each pre-labelled keypoint that is right and places the others; returns those placed.
std::int64_t check_keypoints(DrawnObject& o, const DrawnObject& truth, const ImageFrame& frame,
                             Annotator& annotator) {
  std::int64_t placed = 0;
  const double area = std::max(box_area(truth), 1.0);
  for (std::size_t k = 0; k + 2 < truth.keypoints.size(); k += 3) {
    const bool labelled = truth.keypoints[k + 2] > 0;
    if (labelled && o.keypoints.size() == truth.keypoints.size() && o.keypoints[k + 2] > 0) {
      const double dx = o.keypoints[k] - truth.keypoints[k];
      const double dy = o.keypoints[k + 1] - truth.keypoints[k + 1];
      const double sigma = k / 3 < frame.sigmas.size() ? frame.sigmas[k / 3] : 0.05;
      if (std::exp(-(dx * dx + dy * dy) / (2 * area * 4 * sigma * sigma)) >= kRightKeypoint)
        continue;
    }
    o.keypoints.resize(truth.keypoints.size());
    annotator.place(o, truth, k);
    placed += labelled;
  }
  return placed;
}

}  // namespace

ImageFrame image_frame(const ingest::objects::ObjectPool& pool) {
  ImageFrame frame;
  frame.width = pool.width();
  frame.height = pool.height();
  frame.classes = std::int32_t(pool.classes().size());
  if (pool.keypoint_count() > 0) frame.sigmas = pool.task().keypoint_sigmas;
  return frame;
}

std::vector<ObjectAnnotatorModel> default_object_annotators() {
  return {{"obj1", 0.03, 0.08, 0.10, 0.05, 0.03},
          {"obj2", 0.04, 0.10, 0.10, 0.08, 0.04},
          {"obj3", 0.05, 0.10, 0.15, 0.10, 0.05},
          {"obj4", 0.06, 0.12, 0.15, 0.10, 0.06}};
}

std::vector<ObjectAnnotatorModel> parse_object_annotators(const std::string& text) {
  std::vector<ObjectAnnotatorModel> annotators;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::vector<double> v;
    std::stringstream fields(item);
    std::string field;
    while (std::getline(fields, field, ':')) v.push_back(parse_share(field));
    if (v.size() != 5)
      throw UsageError(
          fmt::format("--object-annotators: '{}' has {} values, not corner:miss:false:class:"
                      "keypoint",
                      item, v.size()));
    annotators.push_back(
        {fmt::format("obj{}", annotators.size() + 1), v[0], v[1], v[2], v[3], v[4]});
  }
  if (annotators.empty()) throw UsageError("--object-annotators lists no annotator");
  return annotators;
}

ObjectAnswer correct_item(const ItemToAnnotate& item, std::size_t a,
                          const ObjectAnnotatorModel& model, const ImageFrame& frame,
                          std::uint64_t seed) {
  Annotator annotator(
      model, frame, keyed_hash(derive_seed(seed, Purpose::simulated_answers, a), item.id, kNoise));
  const std::int32_t classes = frame.classes;
  ObjectAnswer answer{item.id, a, {}, {}};
  std::vector<bool> found(item.truth.size(), false), matched(item.prelabels.size(), false);
  for (const auto& pair : ingest::objects::match_objects(item.prelabels, item.truth, kOverlapIou)) {
    const DrawnObject& truth = item.truth[pair.b];
    DrawnObject o = item.prelabels[pair.a];
    found[pair.b] = matched[pair.a] = true;
    if (pair.iou >= kRightIou && o.label == truth.label) {
      ++answer.actions.kept;
    } else {
      const auto keypoints = o.keypoints;
      o = annotator.draw(truth, classes);
      o.keypoints = keypoints;  // an adjusted box keeps its right keypoints too
      ++answer.actions.adjusted;
    }
    answer.actions.keypoints += check_keypoints(o, truth, frame, annotator);
    answer.objects.push_back(std::move(o));
  }
  answer.actions.deleted = std::int64_t(std::count(matched.begin(), matched.end(), false));
  for (std::size_t t = 0; t < item.truth.size(); ++t) {
    if (found[t] || annotator.unit() < model.miss) continue;
    answer.objects.push_back(annotator.draw(item.truth[t], classes));
    ++answer.actions.drawn;
    answer.actions.keypoints += scratch_actions({item.truth[t]}).keypoints;
  }
  if (annotator.unit() < model.false_box) {
    answer.objects.push_back(annotator.false_box(classes, frame.sigmas.size()));
    ++answer.actions.drawn;
    answer.actions.keypoints += std::int64_t(frame.sigmas.size());
  }
  return answer;
}

std::vector<ObjectAnswer> correct_items(const std::vector<ItemToAnnotate>& items,
                                        const std::vector<ObjectAnnotatorModel>& annotators,
                                        int votes_per_item, const ImageFrame& frame,
                                        std::uint64_t seed) {
  std::vector<ObjectAnswer> answers;
  for (const auto& item : items) {
    const auto first = keyed_hash(seed, item.id, kRotation) % annotators.size();
    for (int v = 0; v < votes_per_item; ++v) {
      const auto a = (first + std::size_t(v)) % annotators.size();
      answers.push_back(correct_item(item, a, annotators[a], frame, seed));
    }
  }
  return answers;
}

Actions scratch_actions(const std::vector<DrawnObject>& truth) {
  Actions actions;
  for (const auto& o : truth) {
    ++actions.drawn;
    for (std::size_t k = 2; k < o.keypoints.size(); k += 3) actions.keypoints += o.keypoints[k] > 0;
  }
  return actions;
}

namespace {

// One object's columns after the annotator's: class index, corners and keypoint triples in the
// shown image's pixels.
std::string object_cells(const DrawnObject& o, const pool::SourceTransform& t, std::size_t k) {
  const std::array<float, 4> stored = {float(o.box[0]), float(o.box[1]), float(o.box[2]),
                                       float(o.box[3])};
  const auto b = pool::box_to_source(stored.data(), t);
  std::string cells =
      fmt::format("{},{:.9g},{:.9g},{:.9g},{:.9g}", o.label, b[0], b[1], b[2], b[3]);
  for (std::size_t j = 0; j < k; ++j) {
    const double v = 3 * j + 2 < o.keypoints.size() ? o.keypoints[3 * j + 2] : 0;
    if (v <= 0) {
      cells += ",,,0";
      continue;
    }
    const auto p = pool::point_to_source(o.keypoints[3 * j], o.keypoints[3 * j + 1], t);
    cells += fmt::format(",{:.9g},{:.9g},{}", p[0], p[1], int(v));
  }
  return cells;
}

}  // namespace

void write_object_answers_csv(const std::filesystem::path& path,
                              const std::vector<ObjectAnswer>& answers,
                              const std::vector<ObjectAnnotatorModel>& annotators,
                              const ingest::objects::ObjectPool& pool) {
  const std::size_t k = pool.keypoint_count();
  std::string text = "id,annotator,class,x0,y0,x1,y1";
  for (std::size_t j = 0; j < k; ++j)
    text += fmt::format(",{0}_x,{0}_y,{0}_v", pool.task().keypoint_names[j]);
  text += "\n";
  for (const auto& answer : answers) {
    const auto row = pool.row_of(answer.id);
    if (!row)
      throw InputError(pool.path(), fmt::format("item {}", answer.id), "is not in the pool");
    const auto t = pool.transform(*row);
    const std::string who = fmt::format("{},{}", answer.id, annotators[answer.annotator].name);
    if (answer.objects.empty()) text += who + ",,,,," + std::string(3 * k, ',') + "\n";
    for (const auto& o : answer.objects) text += who + "," + object_cells(o, t, k) + "\n";
  }
  AtomicOutput output(path, Overwrite::replace);
  {
    std::ofstream out(output.temp_path());
    out << text;
    if (!out.flush()) throw Error(fmt::format("{}: cannot write the answers", path.string()));
  }
  output.commit();
}

}  // namespace quarry::simulate
