#pragma once
// What object consensus works on: the objects each annotator drew on an item, in pool pixels.
#include <array>
#include <cstdint>
#include <vector>

namespace quarry::ingest::objects {

struct DrawnObject {
  std::array<double, 4> box{};    // x0, y0, x1, y1 (pool pixels)
  std::int32_t label = 0;         // class index
  std::vector<double> keypoints;  // K triples x, y, visibility (0 not labelled, 1 hidden, 2 seen)
  double confidence = 1;          // the tool's score where it gives one (a model's), else 1
};

// One annotator's answer on an item: every object it drew (none is an answer too: "nothing here").
struct Answer {
  std::int32_t annotator = 0;  // global annotator index
  std::vector<DrawnObject> objects;
};

struct ItemAnswers {
  std::uint64_t id = 0;
  std::vector<Answer> answers;
};

}  // namespace quarry::ingest::objects
