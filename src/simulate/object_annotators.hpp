#pragma once
// Simulated annotators of detection and keypoint pools. Each works as a person correcting a
// pre-labelled image does: a pre-label that is right is kept, one that is off is adjusted, a false
// one deleted, missed objects are drawn and keypoints placed; with no pre-labels everything is
// drawn. Noise per annotator is part 2's crowd model (tests/ingest/unit/test_object_consensus.cpp):
// box corners jitter in proportion to the box's size, objects drawn from scratch are sometimes
// missed, a false box is sometimes drawn, a class is sometimes wrong, keypoints jitter. Each answer
// records what its annotator did, which the time model (annotator_time.hpp) prices. Draws are
// seeded by (seed, annotator, item id): the same answers on any machine.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/objects/drawn_object.hpp"
#include "simulate/annotator_time.hpp"

namespace quarry::ingest::objects {
class ObjectPool;
}

namespace quarry::simulate {

struct ObjectAnnotatorModel {
  std::string name;
  double corner_sd = 0.04;    // per corner, as a share of the box's width or height
  double miss = 0.10;         // chance of leaving out an object it would have to draw
  double false_box = 0.10;    // chance of one extra box where there is nothing, per image
  double wrong_class = 0.05;  // chance of a wrong class on an object it draws or adjusts
  double keypoint_sd = 0.04;  // per keypoint coordinate, as a share of the box's size

  bool operator==(const ObjectAnnotatorModel&) const = default;
};

// Part 2's four careful annotators (its fifth, careless one is left out of the default crowd).
std::vector<ObjectAnnotatorModel> default_object_annotators();

// "corner:miss:false:class:keypoint,..." (shares in [0, 1]), named obj1, obj2, ...; UsageError
// naming --object-annotators otherwise.
std::vector<ObjectAnnotatorModel> parse_object_annotators(const std::string& text);

// A pre-label whose IoU with a true object reaches this, with the right class, is right: kept.
// Below it (down to kOverlapIou) it is that object's box, off: adjusted. Annotators cannot tell
// boxes apart much above 0.7 (Russakovsky et al. 2015 found IoU 0.5 and 0.7 hard to tell apart).
inline constexpr double kRightIou = 0.7;
inline constexpr double kOverlapIou = 0.3;
// A pre-labelled keypoint is right when its COCO keypoint similarity with the true one
// (exp(-d^2 / (2 area (2 sigma)^2))) reaches this.
inline constexpr double kRightKeypoint = 0.5;

// What the annotators of one item see, in pool pixels.
struct ItemToAnnotate {
  std::uint64_t id = 0;
  std::vector<ingest::objects::DrawnObject> truth;
  std::vector<ingest::objects::DrawnObject> prelabels;  // empty: drawn from scratch
};

struct ObjectAnswer {
  std::uint64_t id = 0;
  std::size_t annotator = 0;                          // index into the annotator list
  std::vector<ingest::objects::DrawnObject> objects;  // pool pixels
  Actions actions;
};

// What annotators know of the pool: its stored image size (pool pixels: answers stay inside),
// its classes and its keypoint sigmas (K of them; none for detect pools).
struct ImageFrame {
  double width = 0, height = 0;
  std::int32_t classes = 1;
  std::vector<double> sigmas;
};
ImageFrame image_frame(const ingest::objects::ObjectPool& pool);

// One annotator's answer on one item.
ObjectAnswer correct_item(const ItemToAnnotate& item, std::size_t a,
                          const ObjectAnnotatorModel& model, const ImageFrame& frame,
                          std::uint64_t seed);

// The answers of `votes_per_item` annotators (a seeded rotation over the list) for each item.
std::vector<ObjectAnswer> correct_items(const std::vector<ItemToAnnotate>& items,
                                        const std::vector<ObjectAnnotatorModel>& annotators,
                                        int votes_per_item, const ImageFrame& frame,
                                        std::uint64_t seed);

// What drawing the true objects from scratch takes: every box drawn, every labelled keypoint.
Actions scratch_actions(const std::vector<ingest::objects::DrawnObject>& truth);

// Writes the answers as the object CSV quarry ingest reads (id, annotator, class name, corners and
// each keypoint's x, y, v) in the pixels of the image annotators see (the item's original where
// the pool has /source), atomically. An answer without objects is a row with empty class and box.
void write_object_answers_csv(const std::filesystem::path& path,
                              const std::vector<ObjectAnswer>& answers,
                              const std::vector<ObjectAnnotatorModel>& annotators,
                              const ingest::objects::ObjectPool& pool);

}  // namespace quarry::simulate
