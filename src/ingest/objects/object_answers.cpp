#include "ingest/objects/object_answers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace quarry::ingest::objects {

namespace {

// `value` within [0, limit], allowing kEdgeTolerance; clamped into it.
bool inside(double& value, double limit) {
  if (!(value >= -kEdgeTolerance && value <= limit + kEdgeTolerance)) return false;
  value = std::clamp(value, 0.0, limit);
  return true;
}

}  // namespace

std::variant<DrawnObject, std::string> ObjectAnswerChecker::map_object(
    const RecordObject& record, const pool::SourceTransform& t) const {
  const auto& b = record.box;
  if (!std::all_of(b.begin(), b.end(), [](double v) { return std::isfinite(v); }))
    return std::string("has a box coordinate that is not a finite number");
  if (!(b[2] > b[0] && b[3] > b[1]))
    return fmt::format("has box ({},{},{},{}) of negative or zero size", b[0], b[1], b[2], b[3]);
  DrawnObject object;
  const auto label = std::find(pool_.classes().begin(), pool_.classes().end(), record.label);
  std::uint64_t index = 0;
  if (label != pool_.classes().end())
    object.label = static_cast<std::int32_t>(label - pool_.classes().begin());
  else if (parse_id(record.label, index) && index < pool_.classes().size())
    object.label = static_cast<std::int32_t>(index);
  else
    return fmt::format("class '{}' is not one of the pool's classes ({})", record.label,
                       fmt::join(pool_.classes(), ", "));
  object.box = pool::box_from_source(b.data(), t);
  auto& m = object.box;
  if (!inside(m[0], pool_.width()) || !inside(m[2], pool_.width()) ||
      !inside(m[1], pool_.height()) || !inside(m[3], pool_.height()))
    return fmt::format("has box ({},{},{},{}), outside the {}x{} image", b[0], b[1], b[2], b[3],
                       pool_.width(), pool_.height());
  if (!(std::isfinite(record.score) && record.score >= 0 && record.score <= 1))
    return fmt::format("has score {}, not in 0..1", record.score);
  object.confidence = record.score;
  const auto& names = pool_.task().keypoint_names;
  object.keypoints.assign(pool_.keypoint_count() * 3, 0.0);
  for (const auto& point : record.keypoints) {
    const auto k =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), point.name) - names.begin());
    if (k >= pool_.keypoint_count())
      return fmt::format("keypoint '{}' is not one of the pool's keypoints ({})", point.name,
                         fmt::join(names, ", "));
    if (object.keypoints[3 * k + 2] != 0)
      return fmt::format("places keypoint '{}' twice", point.name);
    if (!std::isfinite(point.x) || !std::isfinite(point.y))
      return fmt::format("keypoint '{}' is not at a finite position", point.name);
    auto [x, y] = pool::point_from_source(point.x, point.y, t);
    if (!inside(x, pool_.width()) || !inside(y, pool_.height()))
      return fmt::format("keypoint '{}' at ({},{}) is outside the image", point.name, point.x,
                         point.y);
    object.keypoints[3 * k] = x;
    object.keypoints[3 * k + 1] = y;
    object.keypoints[3 * k + 2] = point.visibility == 1 ? 1 : 2;
  }
  return object;
}

void ObjectAnswerChecker::check(RecordSink& sink) {
  for (const auto& record : sink.records()) {
    const auto row = pool_.row_of(record.id);
    if (!row) {
      sink.reject(record.where,
                  fmt::format("item {} is not in the pool: quarry never exported it", record.id),
                  "ingest annotations of items exported from this pool");
      continue;
    }
    Answer answer{annotator_index(record.annotator), {}};
    std::string problem;
    for (const auto& drawn : record.objects) {
      auto mapped = map_object(drawn, pool_.transform(*row));
      if (auto* text = std::get_if<std::string>(&mapped)) {
        problem = fmt::format("item {}, {}: {}", record.id,
                              drawn.where.empty() ? "an object" : drawn.where, *text);
        break;
      }
      answer.objects.push_back(std::move(std::get<DrawnObject>(mapped)));
    }
    if (!problem.empty()) {
      sink.reject(record.where, problem);
      continue;
    }
    ledger_answers_.push_back({record.id, record.annotator, ingest::kObjectsOnly, record.task});
    ledger_objects_.add_row();
    for (const auto& o : answer.objects) {
      const std::vector<float> points(o.keypoints.begin(), o.keypoints.end());
      ledger_objects_.add_object(
          {float(o.box[0]), float(o.box[1]), float(o.box[2]), float(o.box[3])}, o.label, points,
          float(o.confidence));
    }
    auto& item = items_[record.id];
    item.id = record.id;
    item.answers.push_back(std::move(answer));
    item_source_.try_emplace(record.id, sink.file().string());
  }
}

std::int32_t ObjectAnswerChecker::annotator_index(const std::string& name) {
  const auto [it, added] =
      annotator_index_.emplace(name, static_cast<std::int32_t>(annotators_.size()));
  if (added) annotators_.push_back(name);
  return it->second;
}

ObjectAnswers ObjectAnswerChecker::take() {
  ObjectAnswers out;
  out.annotators = annotators_;
  for (auto& [id, item] : items_) {
    out.items.push_back(std::move(item));
    out.item_source.push_back(item_source_[id]);
  }
  out.ledger_answers = std::move(ledger_answers_);
  out.ledger_objects = std::move(ledger_objects_);
  return out;
}

}  // namespace quarry::ingest::objects
