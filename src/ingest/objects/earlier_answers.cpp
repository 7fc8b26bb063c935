#include "ingest/objects/earlier_answers.hpp"

#include <algorithm>
#include <unordered_map>

namespace quarry::ingest::objects {

namespace {

struct Stored {
  std::string annotator;
  std::vector<DrawnObject> objects;
  bool repeated = false;  // a new answer repeats it
};

std::vector<DrawnObject> row_objects(const ObjectRows& rows, std::size_t row, std::size_t k3) {
  std::vector<DrawnObject> objects;
  for (std::size_t o = rows.first(row); o < rows.first(row) + rows.objects(row); ++o) {
    DrawnObject object;
    for (int c = 0; c < 4; ++c) object.box[c] = rows.boxes[4 * o + c];
    object.label = rows.labels[o];
    object.keypoints.assign(rows.keypoints.begin() + k3 * o, rows.keypoints.begin() + k3 * (o + 1));
    object.confidence = rows.confidence[o];
    objects.push_back(std::move(object));
  }
  return objects;
}

// Equal as the ledger stores them (float32).
bool same_objects(const std::vector<DrawnObject>& a, const std::vector<DrawnObject>& b) {
  auto f = [](double v) { return static_cast<float>(v); };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [&](const auto& x, const auto& y) {
    return x.label == y.label && f(x.confidence) == f(y.confidence) &&
           std::equal(x.box.begin(), x.box.end(), y.box.begin(), y.box.end(),
                      [&](double p, double q) { return f(p) == f(q); }) &&
           std::equal(x.keypoints.begin(), x.keypoints.end(), y.keypoints.begin(),
                      y.keypoints.end(), [&](double p, double q) { return f(p) == f(q); });
  });
}

std::int32_t annotator_index(ObjectAnswers& answers, const std::string& name) {
  const auto it = std::find(answers.annotators.begin(), answers.annotators.end(), name);
  if (it != answers.annotators.end())
    return static_cast<std::int32_t>(it - answers.annotators.begin());
  answers.annotators.push_back(name);
  return static_cast<std::int32_t>(answers.annotators.size() - 1);
}

// Drops the rows marked in `drop` from what the ledger stores.
void drop_rows(ObjectAnswers& answers, const std::vector<bool>& drop, std::size_t keypoint_count) {
  std::vector<ingest::Answer> kept;
  ObjectRows rows;
  for (std::size_t r = 0; r < answers.ledger_answers.size(); ++r) {
    if (drop[r]) continue;
    kept.push_back(answers.ledger_answers[r]);
    rows.append_row(answers.ledger_objects, r, keypoint_count);
  }
  answers.ledger_answers = std::move(kept);
  answers.ledger_objects = std::move(rows);
}

}  // namespace

EarlierAnswers add_earlier_answers(const Ledger& ledger, ObjectAnswers& answers) {
  EarlierAnswers counts;
  if (!ledger.objects.present) return counts;
  const std::size_t k = ledger.objects.keypoint_count();
  std::unordered_map<std::uint64_t, std::vector<Stored>> stored;
  std::unordered_map<std::uint64_t, std::size_t> item_of;
  for (std::size_t i = 0; i < answers.items.size(); ++i) item_of[answers.items[i].id] = i;
  const auto& raw = ledger.annotations;
  for (std::size_t r = 0; r < raw.ids.size(); ++r)
    if (item_of.contains(raw.ids[r]))
      stored[raw.ids[r]].push_back({raw.annotators[static_cast<std::size_t>(raw.annotator[r])],
                                    row_objects(ledger.objects.raw, r, k * 3)});
  std::vector<bool> drop(answers.ledger_answers.size(), false);
  for (auto& [id, earlier] : stored) {
    const std::size_t i = item_of[id];
    auto& item = answers.items[i];
    for (std::size_t a = 0; a < item.answers.size(); ++a) {
      const auto& name = answers.annotators[static_cast<std::size_t>(item.answers[a].annotator)];
      for (auto& e : earlier)
        if (!e.repeated && e.annotator == name &&
            same_objects(e.objects, item.answers[a].objects)) {
          e.repeated = true;
          drop[answers.ledger_row[i][a]] = true;
          ++counts.repeated;
          break;
        }
    }
    for (auto& e : earlier) {
      if (e.repeated) continue;
      item.answers.push_back({annotator_index(answers, e.annotator), std::move(e.objects)});
      answers.ledger_row[i].push_back(kNotStored);
      ++counts.earlier;
    }
  }
  drop_rows(answers, drop, k);
  return counts;
}

}  // namespace quarry::ingest::objects
