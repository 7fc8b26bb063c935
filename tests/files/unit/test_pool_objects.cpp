#include <gtest/gtest.h>

#include "files/ledger/string_column.hpp"
#include "files/pool/objects.hpp"
#include "files/pool/shard_reader.hpp"
#include "files/pool/writer.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

TaskInfo head_task() {
  TaskInfo task;
  task.kind = Task::keypoints;
  task.keypoint_names = {"left_eye", "right_eye", "nose"};
  task.flip_pairs = {{0, 1}};
  task.skeleton = {{0, 2}, {1, 2}};
  task.has_objects = true;
  return task;
}

PoolSpec head_spec(std::uint64_t n) {
  PoolSpec spec{n, {Kind::images, {1, 16, 20}}, {"head", "hat"}, "test", false, 0, {}, true};
  spec.task = head_task();
  spec.task.category_ids = {3, 9};
  spec.has_sources = true;
  return spec;
}

std::vector<float> keypoints_at(float x, float y, float hidden_visibility) {
  return {x, y, 2, x + 2, y, hidden_visibility, x + 1, y + 1, 2};
}

// Item i (id 50 + i) holds i % 3 objects; object j of item i has box (j, i, j+4, i+3), label j % 2,
// crowd on the second object, and area 7 on the first (box area elsewhere).
ObjectTable make_objects(std::uint64_t n, float visibility = 1) {
  ObjectTable table;
  for (std::uint64_t i = 0; i < n; ++i) {
    table.add_row();
    for (std::uint64_t j = 0; j < i % 3; ++j) {
      const float x = float(j), y = float(i);
      table.add_object({x, y, x + 4, y + 3}, std::int32_t(j % 2), keypoints_at(x, y, visibility),
                       j == 1, j == 0 ? 7.0f : -1.0f);
    }
  }
  return table;
}

void write_head_pool(const std::filesystem::path& path, std::uint64_t n,
                     const ObjectTable& objects) {
  PoolWriter writer(path, Overwrite::refuse, head_spec(n));
  std::vector<std::uint8_t> pixels(n * 16 * 20, 9);
  std::vector<std::uint64_t> ids(n);
  std::vector<std::string> paths(n);
  std::vector<float> transform;
  for (std::uint64_t i = 0; i < n; ++i) {
    ids[i] = 50 + i;
    paths[i] = "images/" + std::to_string(i) + ".png";
    transform.insert(transform.end(), {0.5f, 0, float(i)});
  }
  // Objects arrive in two parts, as an importer appending batch by batch hands them over.
  writer.append(std::span<const std::uint8_t>(pixels), ids);
  writer.append_objects(objects.slice(0, n / 2));
  writer.append_objects(objects.slice(n / 2, n - n / 2));
  writer.append_sources(paths, transform);
  writer.finish();
}

class PoolObjectsTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
};

TEST_F(PoolObjectsTest, TaskNamesRoundTrip) {
  for (Task task : {Task::classify, Task::detect, Task::keypoints})
    EXPECT_EQ(parse_task(task_name(task)), task);
  EXPECT_THROW(parse_task("segment"), UsageError);
}

TEST_F(PoolObjectsTest, KeypointPoolRoundTripsTaskObjectsAndSources) {
  const ObjectTable objects = make_objects(7);
  write_head_pool(dir / "p.h5", 7, objects);
  PoolFile pool = PoolFile::open(dir / "p.h5");
  EXPECT_EQ(h5::read_string_attribute(pool.file().id(), "quarry_format"), "pool/2");
  const TaskInfo& task = pool.meta().task;
  EXPECT_EQ(task.kind, Task::keypoints);
  EXPECT_TRUE(task.has_objects);
  EXPECT_EQ(task.keypoint_names, head_task().keypoint_names);
  EXPECT_EQ(task.flip_pairs, head_task().flip_pairs);
  EXPECT_EQ(task.skeleton, head_task().skeleton);
  EXPECT_EQ(task.keypoint_sigmas, std::vector<double>(3, kDefaultKeypointSigma));
  EXPECT_EQ(task.category_ids, (std::vector<std::int64_t>{3, 9}));
  EXPECT_NO_THROW(pool.check_contents());

  // Rows 2..5 (items 2, 3, 4): 2 + 0 + 1 objects, offsets relative to the slice.
  ObjectTable slice = read_objects(pool, 2, 3);
  EXPECT_EQ(slice.offsets, (std::vector<std::uint64_t>{0, 2, 2, 3}));
  EXPECT_EQ(slice.objects(0), 2u);
  EXPECT_EQ(slice.objects(1), 0u);
  EXPECT_EQ(slice.boxes, (std::vector<float>{0, 2, 4, 5, 1, 2, 5, 5, 0, 4, 4, 7}));
  EXPECT_EQ(slice.labels, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_EQ(slice.crowd, (std::vector<std::uint8_t>{0, 1, 0}));
  EXPECT_EQ(slice.area, (std::vector<float>{7, 12, 7}));
  ASSERT_EQ(slice.keypoints.size(), 27u);
  EXPECT_EQ(std::vector<float>(slice.keypoints.begin() + 9, slice.keypoints.begin() + 18),
            keypoints_at(1, 2, 1));

  EXPECT_EQ(objects.slice(2, 3).offsets, slice.offsets);
  EXPECT_EQ(objects.slice(2, 3).keypoints, slice.keypoints);
  ObjectTable all = read_objects(pool, 0, 7);
  EXPECT_EQ(all.offsets, objects.offsets);
  EXPECT_EQ(all.keypoints, objects.keypoints);
  EXPECT_EQ(read_objects(pool, 7, 0).rows(), 0u);

  SourceTable sources = read_sources(pool);
  ASSERT_EQ(sources.paths.size(), 7u);
  EXPECT_EQ(sources.paths[3], "images/3.png");
  EXPECT_EQ(sources.transform[3 * 3 + 2], 3.0f);
}

TEST_F(PoolObjectsTest, ShardReaderBatchesCarryTheirRowsObjects) {
  const ObjectTable objects = make_objects(11);
  write_head_pool(dir / "p.h5", 11, objects);
  ShardReader reader(dir / "p.h5", {1, 11}, 4, 2, true);
  ObjectTable seen;
  while (const Batch* batch = reader.next()) {
    ASSERT_EQ(batch->objects.rows(), batch->count);
    seen.append(batch->objects);
  }
  EXPECT_EQ(seen.offsets, objects.slice(1, 10).offsets);
  EXPECT_EQ(seen.boxes, objects.slice(1, 10).boxes);
  EXPECT_EQ(seen.keypoints, objects.slice(1, 10).keypoints);
  ShardReader plain(dir / "p.h5", {0, 11}, 4);
  EXPECT_EQ(plain.next()->objects.total(), 0u);
}

TEST_F(PoolObjectsTest, ClassifyPoolsHaveNoObjects) {
  PoolWriter writer(dir / "c.h5", Overwrite::refuse,
                    {2, {Kind::images, {1, 2, 2}}, {"a"}, "test", false, 0, {}, false});
  std::vector<std::uint8_t> pixels(8, 0);
  std::vector<std::uint64_t> ids{1, 2};
  writer.append(std::span<const std::uint8_t>(pixels), ids);
  writer.finish();
  PoolFile pool = PoolFile::open(dir / "c.h5");
  EXPECT_EQ(pool.meta().task.kind, Task::classify);
  EXPECT_FALSE(pool.meta().task.has_objects);
  EXPECT_FALSE(pool.meta().has_sources);
  ObjectTable none = read_objects(pool, 0, 2);
  EXPECT_EQ(none.offsets, (std::vector<std::uint64_t>{0, 0, 0}));
  EXPECT_EQ(none.total(), 0u);
}

TEST_F(PoolObjectsTest, PoolOneFilesOpenAsClassify) {
  {
    h5::File file = h5::File::create(dir / "old.h5");
    file.create_dataset<std::uint8_t>(kImages, {0, 1, 2, 2});
    file.create_dataset<std::uint64_t>(kIds, {0});
    h5::write_attribute(file.id(), "quarry_format", std::string("pool/1"));
  }
  EXPECT_EQ(PoolFile::open(dir / "old.h5").meta().task.kind, Task::classify);
}

// The message of the InputError that `action` throws, or "" when it throws none.
template <class F>
std::string input_error(F&& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST_F(PoolObjectsTest, WriterRefusesBadObjectsNamingTheItemAndPublishesNothing) {
  struct Case {
    const char* problem;
    void (*spoil)(ObjectTable&);
  };
  const Case cases[] = {
      {"outside the 20x16 image", [](ObjectTable& t) { t.boxes[4 * 2 + 2] = 21; }},
      {"without x0 < x1", [](ObjectTable& t) { t.boxes[4 * 2 + 0] = 5; }},
      {"has label 2, outside 0..1", [](ObjectTable& t) { t.labels[2] = 2; }},
      {"keypoint 1 has visibility 3", [](ObjectTable& t) { t.keypoints[9 * 2 + 5] = 3; }},
      {"has area -2", [](ObjectTable& t) { t.area[2] = -2; }},
  };
  for (const Case& c : cases) {
    ObjectTable objects = make_objects(5);  // object 2 is item 2's second (id 52)
    c.spoil(objects);
    const std::string message = input_error([&] { write_head_pool(dir / "p.h5", 5, objects); });
    EXPECT_NE(message.find("item 52, object 1"), std::string::npos) << message;
    EXPECT_NE(message.find(c.problem), std::string::npos) << message;
    EXPECT_EQ(dir.entries(), 0u);
  }
}

TEST_F(PoolObjectsTest, WriterRefusesKeypointAttributesThatDisagree) {
  PoolSpec spec = head_spec(1);
  spec.task.flip_pairs = {{0, 3}};
  EXPECT_NE(input_error([&] {
              PoolWriter(dir / "p.h5", Overwrite::refuse, spec);
            }).find("flip_pairs: pair (0,3) names a keypoint outside 0..2"),
            std::string::npos);
  spec = head_spec(1);
  spec.task.keypoint_sigmas = {0.1, 0.1};
  EXPECT_NE(input_error([&] {
              PoolWriter(dir / "p.h5", Overwrite::refuse, spec);
            }).find("keypoint_sigmas: has 2 values for 3 keypoints"),
            std::string::npos);
  spec = head_spec(1);
  spec.task.keypoint_names.clear();
  EXPECT_THROW(PoolWriter(dir / "p.h5", Overwrite::refuse, spec), InputError);
  EXPECT_EQ(dir.entries(), 0u);
}

// A detect pool written by hand (as h5py would): 3 items, offsets given, boxes 2 per object row.
void write_raw_detect_pool(const std::filesystem::path& path, std::vector<std::uint64_t> offsets,
                           std::vector<float> boxes) {
  h5::File file = h5::File::create(path);
  file.create_dataset<std::uint8_t>(kImages, {3, 1, 8, 8});
  std::vector<std::uint64_t> ids{10, 11, 12};
  file.create_dataset<std::uint64_t>(kIds, {3}).write_rows<std::uint64_t>(0, 3, ids);
  h5::write_attribute(file.id(), "quarry_format", std::string("pool/2"));
  h5::write_attribute(file.id(), "task", std::string("detect"));
  h5::write_attribute(file.id(), "classes", std::vector<std::string>{"thing"});
  file.create_dataset<std::uint64_t>(kObjectOffsets, {4}).write_rows<std::uint64_t>(0, 4, offsets);
  const hsize_t m = boxes.size() / 4;
  file.create_dataset<float>(kObjectBoxes, {m, 4}).write_rows<float>(0, m, boxes);
  std::vector<std::int32_t> labels(m, 0);
  file.create_dataset<std::int32_t>(kObjectLabels, {m}).write_rows<std::int32_t>(0, m, labels);
}

TEST_F(PoolObjectsTest, HandWrittenDetectPoolsReadWithoutCrowdAndArea) {
  write_raw_detect_pool(dir / "d.h5", {0, 1, 1, 2}, {1, 1, 3, 4, 0, 0, 8, 8});
  PoolFile pool = PoolFile::open(dir / "d.h5");
  EXPECT_EQ(pool.meta().task.kind, Task::detect);
  EXPECT_TRUE(pool.meta().task.keypoint_sigmas.empty());
  ObjectTable table = read_objects(pool, 1, 2);
  EXPECT_EQ(table.offsets, (std::vector<std::uint64_t>{0, 0, 1}));
  EXPECT_EQ(table.area, (std::vector<float>{64}));
  EXPECT_EQ(table.crowd, (std::vector<std::uint8_t>{0}));
  EXPECT_TRUE(table.keypoints.empty());
}

TEST_F(PoolObjectsTest, BrokenOffsetsAreInputErrors) {
  write_raw_detect_pool(dir / "end.h5", {0, 1, 1, 1}, {1, 1, 3, 4, 0, 0, 8, 8});
  EXPECT_NE(input_error([&] {
              PoolFile::open(dir / "end.h5");
            }).find("/objects/offsets: run from 0 to 1; they must run from 0 to the 2 objects"),
            std::string::npos);
  write_raw_detect_pool(dir / "down.h5", {0, 2, 1, 2}, {1, 1, 3, 4, 0, 0, 8, 8});
  PoolFile pool = PoolFile::open(dir / "down.h5");
  EXPECT_NE(input_error([&] {
              pool.check_contents();
            }).find("/objects/offsets: item 11: offsets decrease (2 then 1)"),
            std::string::npos);
  write_raw_detect_pool(dir / "box.h5", {0, 1, 1, 2}, {1, 1, 3, 4, 0, 0, 9, 8});
  PoolFile outside = PoolFile::open(dir / "box.h5");
  EXPECT_NO_THROW(read_objects(outside, 0, 2));  // the bad box is item 12's
  EXPECT_NE(input_error([&] { read_objects(outside, 2, 1); }).find("item 12, object 0"),
            std::string::npos);
}

}  // namespace
}  // namespace quarry::pool
