#include "pool/object_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace quarry::pool {

namespace {
constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
const char* const kSizeNames[] = {"small", "medium", "large"};

std::size_t keypoint_count(const PoolMeta& meta) {
  return meta.task.kind == Task::keypoints ? meta.task.keypoints() : 0;
}
}  // namespace

ObjectStats::ObjectStats(const PoolMeta& meta)
    : fewest(kNone), per_class(meta.classes.size(), 0), visible(keypoint_count(meta)) {}

void ObjectStats::add(const ObjectTable& table) {
  const std::size_t k = visible.size();
  for (std::size_t row = 0; row < table.rows(); ++row) {
    fewest = std::min<std::uint64_t>(fewest, table.objects(row));
    most = std::max<std::uint64_t>(most, table.objects(row));
  }
  images += table.rows();
  objects += table.total();
  for (std::size_t o = 0; o < table.total(); ++o) {
    crowd += table.crowd[o];
    const float area = table.area[o];
    ++by_size[area < 32 * 32 ? 0 : area < 96 * 96 ? 1 : 2];
    ++per_class[std::size_t(table.labels[o])];  // labels were checked on reading
    for (std::size_t j = 0; j < k; ++j)
      ++visible[j][std::size_t(table.keypoints[(o * k + j) * 3 + 2])];
  }
}

void ObjectStats::combine(const comm::Communicator& comm) {
  std::vector<std::uint64_t> sums = {images, objects, crowd, by_size[0], by_size[1], by_size[2]};
  sums.insert(sums.end(), per_class.begin(), per_class.end());
  for (const auto& counts : visible) sums.insert(sums.end(), counts.begin(), counts.end());
  comm.allreduce(std::span(sums), comm::Op::sum);
  auto next = sums.begin();
  for (std::uint64_t* field : {&images, &objects, &crowd, &by_size[0], &by_size[1], &by_size[2]})
    *field = *next++;
  for (auto& count : per_class) count = *next++;
  for (auto& counts : visible)
    for (auto& count : counts) count = *next++;
  fewest = comm.allreduce(fewest, comm::Op::min);
  most = comm.allreduce(most, comm::Op::max);
}

ObjectStats pool_object_stats(const PoolFile& pool) {
  ObjectStats stats(pool.meta());
  // A million rows at a time: a few tens of MB of objects.
  constexpr std::uint64_t kRows = 1 << 20;
  for (std::uint64_t first = 0; first < pool.meta().count; first += kRows)
    stats.add(read_objects(pool, first, std::min(kRows, pool.meta().count - first)));
  return stats;
}

std::string format_object_stats(const ObjectStats& s, const PoolMeta& meta) {
  std::string text;
  auto row = [&](const std::string& key, const std::string& value) {
    text += fmt::format("{:<10}{}\n", key, value);
  };
  row("objects", fmt::format("{} in {} images: {} to {} per image, mean {:.2f}{}", s.objects,
                             s.images, s.fewest == kNone ? 0 : s.fewest, s.most, s.mean(),
                             s.crowd ? fmt::format(", {} crowd", s.crowd) : ""));
  std::vector<std::string> classes;
  for (std::size_t c = 0; c < s.per_class.size(); ++c)
    classes.push_back(fmt::format("{} {}", meta.classes[c], s.per_class[c]));
  row("per class", fmt::format("{}", fmt::join(classes, ", ")));
  row("sizes", fmt::format("small {}, medium {}, large {} (area < 32^2, < 96^2, larger)",
                           s.by_size[0], s.by_size[1], s.by_size[2]));
  for (std::size_t k = 0; k < s.visible.size(); ++k)
    row(k == 0 ? "keypoints" : "",
        fmt::format("{:<12} visible {}, hidden {}, not labelled {}", meta.task.keypoint_names[k],
                    s.visible[k][2], s.visible[k][1], s.visible[k][0]));
  return text;
}

nlohmann::json object_stats_json(const ObjectStats& s, const PoolMeta& meta) {
  nlohmann::json j;
  j["objects"] = s.objects;
  j["images"] = s.images;
  j["crowd"] = s.crowd;
  j["per_image"] = {{"min", s.fewest == kNone ? 0 : s.fewest}, {"mean", s.mean()}, {"max", s.most}};
  j["per_class"] = s.per_class;
  for (int size = 0; size < 3; ++size) j["sizes"][kSizeNames[size]] = s.by_size[size];
  for (std::size_t k = 0; k < s.visible.size(); ++k)
    j["keypoint_visibility"][meta.task.keypoint_names[k]] = {{"visible", s.visible[k][2]},
                                                             {"hidden", s.visible[k][1]},
                                                             {"not_labelled", s.visible[k][0]}};
  return j;
}

}  // namespace quarry::pool
