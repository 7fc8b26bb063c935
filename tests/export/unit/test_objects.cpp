// Exports of pools with objects, every writer's pre-labels checked field by field: a keypoint
// pool imported from COCO (originals of different sizes letterboxed into 32x32, so /source) whose
// pre-labels must come back in each original's pixels, equal to the COCO file's own numbers; a
// synthetic keypoint pool without /source, whose pre-labels keep the pool's pixels; and the
// inputs such an export refuses.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "export/export_run.hpp"
#include "export/object_prelabels.hpp"
#include "export/original_images.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/schema.hpp"
#include "pool/image_file.hpp"
#include "pool/import.hpp"
#include "pool/synth.hpp"
#include "support/fixture.hpp"
#include "support/parse_back.hpp"
#include "support/temp_dir.hpp"
#include "support/write_jpeg.hpp"

namespace quarry::exporting {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Mapping to the original and back goes through float32 transforms: far inside the 0.5 px the
// round trip must keep, and far outside what a wrong scale or offset would give.
constexpr double kPixels = 1e-3;

// One object of the COCO file, in its original image's pixels.
struct Truth {
  std::uint64_t image = 0;
  std::string label;
  std::array<double, 4> box{};    // x0, y0, x1, y1
  std::vector<double> keypoints;  // x, y, v per keypoint
  float confidence = 0;           // the fixture's detection confidence for it
};

const std::vector<std::string> kKeypoints = {"left_eye", "right_eye", "nose"};

void write_file(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// Originals: wide 120x60 (letterboxed: scale 32/120, dy 8), tall 45x90 (scale 32/90, dx 8) and
// small 16x16 (enlarged twice). Image 7 has three objects, the third below the threshold 0.5 the
// tests export with; its second object's nose is unlabelled.
std::vector<Truth> write_coco_folder(const fs::path& dir) {
  fs::create_directories(dir / "images");
  const struct {
    std::uint64_t id;
    const char* file;
    std::uint32_t width, height;
  } images[] = {{7, "wide.png", 120, 60}, {12, "tall.png", 45, 90}, {20, "small.png", 16, 16}};
  json doc = {{"images", json::array()}, {"annotations", json::array()}};
  for (const auto& image : images) {
    std::vector<std::uint8_t> pixels(image.width * image.height, std::uint8_t(image.id * 9));
    write_file(dir / "images" / image.file, png::encode(pixels, {1, image.height, image.width}));
    doc["images"].push_back({{"id", image.id},
                             {"file_name", image.file},
                             {"width", image.width},
                             {"height", image.height}});
  }
  doc["categories"] = json::array();
  for (const auto& [id, name] : {std::pair{1, "head"}, std::pair{2, "hat"}})
    doc["categories"].push_back(
        {{"id", id}, {"name", name}, {"keypoints", kKeypoints}, {"skeleton", {{1, 3}, {2, 3}}}});
  std::vector<Truth> truth = {{7, "head", {10, 5, 40, 45}, {15, 15, 2, 30, 15, 2, 22, 30, 2}, 0},
                              {7, "hat", {60, 10, 110, 40}, {70, 20, 2, 90, 20, 2, 0, 0, 0}, 0},
                              {7, "head", {80, 42, 100, 58}, {85, 48, 2, 95, 48, 2, 90, 54, 2}, 0},
                              {12, "head", {5, 50, 35, 85}, {10, 60, 2, 25, 60, 2, 18, 75, 2}, 0},
                              {20, "hat", {2, 2, 12, 12}, {4, 5, 2, 9, 5, 2, 7, 9, 2}, 0}};
  std::map<std::uint64_t, std::size_t> seen;
  for (Truth& object : truth) {
    object.confidence = testing::fixture_detection_confidence(seen[object.image]++);
    const auto& b = object.box;
    doc["annotations"].push_back({{"id", doc["annotations"].size() + 1},
                                  {"image_id", object.image},
                                  {"category_id", object.label == "head" ? 1 : 2},
                                  {"bbox", {b[0], b[1], b[2] - b[0], b[3] - b[1]}},
                                  {"keypoints", object.keypoints}});
  }
  std::ofstream(dir / "keypoints.json") << doc.dump();
  return truth;
}

json read_json(const fs::path& path) {
  return json::parse(testing::read_text(path));
}

class SourceExport : public ::testing::Test {
 protected:
  void SetUp() override {
    truth = write_coco_folder(dir.path());
    pool::ImportRequest import;
    import.format = "coco";
    import.input = dir / "keypoints.json";
    import.images = dir / "images";
    import.height = import.width = 32;
    import.out = dir / "pool.h5";
    pool::import_coco(import);
    testing::write_detection_scores(dir / "pool.h5", dir / "scores.h5");
    testing::write_fixture_selection(dir / "selection.h5", {12, 7, 20});
    request.inputs.selection = dir / "selection.h5";
    request.inputs.pool = dir / "pool.h5";
    request.inputs.scores = dir / "scores.h5";
    request.inputs.prelabel_min_confidence = 0.5;
    request.formats = all_formats();
    request.out = out;
    request.sagemaker_prefix = "s3://bucket/r1/";
  }

  // The objects the export must show for `image`, in export order (decreasing confidence).
  std::vector<Truth> shown(std::uint64_t image) const {
    std::vector<Truth> objects;
    for (const Truth& object : truth)
      if (object.image == image && object.confidence >= 0.5f) objects.push_back(object);
    return objects;
  }

  static std::pair<std::uint32_t, std::uint32_t> original_size(std::uint64_t image) {
    return image == 7    ? std::pair{120u, 60u}
           : image == 12 ? std::pair{45u, 90u}
                         : std::pair{16u, 16u};
  }

  testing::TempDir dir;
  fs::path out = dir / "export";
  std::vector<Truth> truth;
  ExportRequest request;
};

TEST_F(SourceExport, ImagesAreTheOriginalFilesByteForByte) {
  run_export(request);
  for (const auto& [id, file] : {std::pair{7, "wide.png"}, {12, "tall.png"}, {20, "small.png"}})
    EXPECT_EQ(testing::read_text(out / "images" / (std::to_string(id) + ".png")),
              testing::read_text(dir / "images" / file))
        << id;
}

TEST_F(SourceExport, LabelStudioRegionsAreInPercentOfTheOriginal) {
  run_export(request);
  const json tasks = read_json(out / "label-studio/tasks.json");
  ASSERT_EQ(tasks.size(), 3u);
  std::vector<std::uint64_t> order;
  for (const json& task : tasks) {
    const std::uint64_t id = task["data"]["quarry_id"];
    order.push_back(id);
    const auto [width, height] = original_size(id);
    const json& results = task["predictions"][0]["result"];
    const std::vector<Truth> objects = shown(id);
    std::size_t at = 0;
    for (const Truth& object : objects) {
      const json& box = results.at(at++);
      EXPECT_EQ(box["type"], "rectanglelabels");
      EXPECT_EQ(box["from_name"], "label");
      EXPECT_EQ(box["to_name"], "image");
      EXPECT_EQ(box["original_width"], width);
      EXPECT_EQ(box["original_height"], height);
      EXPECT_EQ(box["image_rotation"], 0);
      EXPECT_EQ(box["value"]["rectanglelabels"], json::array({object.label}));
      EXPECT_EQ(box["value"]["rotation"], 0);
      EXPECT_FLOAT_EQ(box["score"].get<float>(), object.confidence);
      const json& v = box["value"];
      EXPECT_NEAR(v["x"].get<double>() * width / 100, object.box[0], kPixels);
      EXPECT_NEAR(v["y"].get<double>() * height / 100, object.box[1], kPixels);
      EXPECT_NEAR(v["width"].get<double>() * width / 100, object.box[2] - object.box[0], kPixels);
      EXPECT_NEAR(v["height"].get<double>() * height / 100, object.box[3] - object.box[1], kPixels);
      for (std::size_t j = 0; j < kKeypoints.size(); ++j) {
        if (object.keypoints[3 * j + 2] == 0) continue;  // unlabelled: outside the original
        const json& point = results.at(at++);
        EXPECT_EQ(point["type"], "keypointlabels");
        EXPECT_EQ(point["from_name"], "keypoint");
        EXPECT_EQ(point["parentID"], box["id"]);
        EXPECT_EQ(point["value"]["keypointlabels"], json::array({kKeypoints[j]}));
        EXPECT_FLOAT_EQ(point["score"].get<float>(), 0.75f);
        EXPECT_NEAR(point["value"]["x"].get<double>() * width / 100, object.keypoints[3 * j],
                    kPixels);
        EXPECT_NEAR(point["value"]["y"].get<double>() * height / 100, object.keypoints[3 * j + 1],
                    kPixels);
      }
    }
    EXPECT_EQ(at, results.size()) << "pre-labels the fixture's threshold should have dropped";
  }
  EXPECT_EQ(order, (std::vector<std::uint64_t>{12, 7, 20}));
  const std::string config = testing::read_text(out / "label-studio/config.xml");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(config.c_str()));
  const pugi::xml_node view = doc.child("View");
  EXPECT_FALSE(view.child("Image").attribute("width")) << "originals keep their own size";
  std::vector<std::string> classes, points;
  for (auto label : view.child("RectangleLabels").children("Label"))
    classes.push_back(label.attribute("value").value());
  for (auto label : view.child("KeyPointLabels").children("Label"))
    points.push_back(label.attribute("value").value());
  EXPECT_EQ(classes, (std::vector<std::string>{"head", "hat"}));
  EXPECT_EQ(points, kKeypoints);
  EXPECT_STREQ(view.child("KeyPointLabels").attribute("toName").value(), "image");
}

TEST_F(SourceExport, CvatShapesAreInTheOriginalsPixels) {
  run_export(request);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((out / "cvat/annotations.xml").c_str()));
  const pugi::xml_node root = doc.child("annotations");
  std::map<std::string, std::string> types, parents;
  for (auto label : root.child("meta").child("task").child("labels").children("label")) {
    types[label.child_value("name")] = label.child_value("type");
    parents[label.child_value("name")] = label.child_value("parent");
  }
  EXPECT_EQ(types, (std::map<std::string, std::string>{{"head", "rectangle"},
                                                       {"hat", "rectangle"},
                                                       {"keypoints", "skeleton"},
                                                       {"left_eye", "points"},
                                                       {"right_eye", "points"},
                                                       {"nose", "points"}}));
  EXPECT_EQ(parents["nose"], "keypoints");
  std::size_t images = 0;
  for (auto image : root.children("image")) {
    ++images;
    const std::string name = image.attribute("name").value();
    const std::uint64_t id = std::stoull(name.substr(7));
    const auto [width, height] = original_size(id);
    EXPECT_EQ(image.attribute("width").as_uint(), width);
    EXPECT_EQ(image.attribute("height").as_uint(), height);
    const std::vector<Truth> objects = shown(id);
    std::size_t n = 0;
    for (auto box : image.children("box")) {
      const Truth& object = objects.at(n++);
      EXPECT_EQ(box.attribute("label").value(), object.label);
      EXPECT_STREQ(box.attribute("source").value(), "auto");
      EXPECT_EQ(box.attribute("group_id").as_uint(), n);
      const char* corners[4] = {"xtl", "ytl", "xbr", "ybr"};
      for (int c = 0; c < 4; ++c)
        EXPECT_NEAR(box.attribute(corners[c]).as_double(), object.box[c], 0.005) << corners[c];
    }
    EXPECT_EQ(n, objects.size());
    std::size_t s = 0;
    for (auto skeleton : image.children("skeleton")) {
      const Truth& object = objects.at(s++);
      EXPECT_STREQ(skeleton.attribute("label").value(), "keypoints");
      EXPECT_EQ(skeleton.attribute("group_id").as_uint(), s);
      std::size_t j = 0;
      for (auto point : skeleton.children("points")) {
        EXPECT_EQ(point.attribute("label").value(), kKeypoints[j]);
        const bool labelled = object.keypoints[3 * j + 2] > 0;
        EXPECT_EQ(point.attribute("outside").as_int(), labelled ? 0 : 1);
        if (labelled) {
          double x = 0, y = 0;
          ASSERT_EQ(std::sscanf(point.attribute("points").value(), "%lf,%lf", &x, &y), 2);
          EXPECT_NEAR(x, object.keypoints[3 * j], 0.005);
          EXPECT_NEAR(y, object.keypoints[3 * j + 1], 0.005);
        }
        ++j;
      }
      EXPECT_EQ(j, kKeypoints.size());
    }
    EXPECT_EQ(s, objects.size());
  }
  EXPECT_EQ(images, 3u);
}

TEST_F(SourceExport, CocoHasKeypointCategoriesAnnotationsAndAResultsList) {
  run_export(request);
  EXPECT_FALSE(fs::exists(out / "coco/annotations/instances_default.json"));
  const json doc = read_json(out / "coco/annotations/person_keypoints_default.json");
  ASSERT_EQ(doc["categories"].size(), 2u);
  EXPECT_EQ(doc["categories"][0]["name"], "head");
  EXPECT_EQ(doc["categories"][1]["keypoints"], json(kKeypoints));
  EXPECT_EQ(doc["categories"][1]["skeleton"], json({{1, 3}, {2, 3}}));
  const json results = read_json(out / "coco/prelabels.json");
  std::size_t n = 0;
  for (const json& image : doc["images"]) {
    const std::uint64_t id = image["quarry_id"];
    const auto [width, height] = original_size(id);
    EXPECT_EQ(image["width"], width);
    EXPECT_EQ(image["file_name"], std::to_string(id) + ".png");
    EXPECT_TRUE(fs::exists(out / "coco/images/default" / image["file_name"].get<std::string>()));
    for (const Truth& object : shown(id)) {
      const json& annotation = doc["annotations"].at(n);
      const json& result = results.at(n++);
      EXPECT_EQ(annotation["image_id"], image["id"]);
      EXPECT_EQ(annotation["category_id"], object.label == "head" ? 1 : 2);
      const double expected[4] = {object.box[0], object.box[1], object.box[2] - object.box[0],
                                  object.box[3] - object.box[1]};
      for (int c = 0; c < 4; ++c) {
        EXPECT_NEAR(annotation["bbox"][c].get<double>(), expected[c], kPixels);
        EXPECT_EQ(result["bbox"][c], annotation["bbox"][c]);
      }
      EXPECT_EQ(annotation["iscrowd"], 0);
      int labelled = 0;
      for (std::size_t j = 0; j < kKeypoints.size(); ++j) {
        labelled += object.keypoints[3 * j + 2] > 0;
        EXPECT_EQ(annotation["keypoints"][3 * j + 2].get<double>(),
                  object.keypoints[3 * j + 2] > 0 ? 2 : 0);
        if (object.keypoints[3 * j + 2] > 0) {
          EXPECT_NEAR(annotation["keypoints"][3 * j].get<double>(), object.keypoints[3 * j],
                      kPixels);
        }
      }
      EXPECT_EQ(annotation["num_keypoints"], labelled);
      EXPECT_EQ(result["image_id"], image["id"]);
      EXPECT_EQ(result["category_id"], annotation["category_id"]);
      EXPECT_EQ(result["score"], annotation["score"]);
      EXPECT_EQ(result["keypoints"], annotation["keypoints"]);
    }
  }
  EXPECT_EQ(n, doc["annotations"].size());
  EXPECT_EQ(n, results.size());
}

TEST_F(SourceExport, SageMakerLinesAreABoundingBoxJobsEarlierLabels) {
  run_export(request);
  std::istringstream lines(testing::read_text(out / "sagemaker/manifest.jsonl"));
  std::size_t count = 0;
  for (std::string text; std::getline(lines, text); ++count) {
    const json line = json::parse(text);
    const std::uint64_t id = line["quarry-id"];
    EXPECT_EQ(line["source-ref"], "s3://bucket/r1/images/" + std::to_string(id) + ".png");
    const auto [width, height] = original_size(id);
    const json& labels = line["quarry-prelabels"];
    EXPECT_EQ(labels["image_size"],
              json::array({{{"width", width}, {"height", height}, {"depth", 1}}}));
    const json& meta = line["quarry-prelabels-metadata"];
    EXPECT_EQ(meta["class-map"], json({{"0", "head"}, {"1", "hat"}}));
    EXPECT_EQ(meta["type"], "groundtruth/object-detection");
    EXPECT_EQ(meta["human-annotated"], "no");
    EXPECT_EQ(meta["job-name"], "labeling-job/quarry-prelabels");
    EXPECT_TRUE(std::regex_match(meta["creation-date"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})")));
    const std::vector<Truth> objects = shown(id);
    ASSERT_EQ(labels["annotations"].size(), objects.size());
    for (std::size_t n = 0; n < objects.size(); ++n) {
      const json& a = labels["annotations"][n];
      const auto& b = objects[n].box;
      EXPECT_EQ(a["class_id"], objects[n].label == "head" ? 0 : 1);
      EXPECT_EQ(a["left"], std::lround(b[0]));
      EXPECT_EQ(a["top"], std::lround(b[1]));
      EXPECT_EQ(a["width"], std::lround(b[2]) - std::lround(b[0]));
      EXPECT_EQ(a["height"], std::lround(b[3]) - std::lround(b[1]));
      EXPECT_FLOAT_EQ(meta["objects"][n]["confidence"].get<float>(), objects[n].confidence);
    }
  }
  EXPECT_EQ(count, 3u);
  const json categories = read_json(out / "sagemaker/label-categories.json");
  EXPECT_EQ(categories["auditLabelAttributeName"], "quarry-prelabels");
  EXPECT_EQ(categories["labels"], json::array({{{"label", "head"}}, {{"label", "hat"}}}));
}

TEST_F(SourceExport, CsvHasOneRowPerObjectAndThePreLabelFileTheSame) {
  run_export(request);
  const auto rows = testing::parse_csv(testing::read_text(out / "csv/objects.csv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "file", "object", "class", "x0", "y0", "x1",
                                               "y1", "score", "left_eye_x", "left_eye_y",
                                               "left_eye_v", "right_eye_x", "right_eye_y",
                                               "right_eye_v", "nose_x", "nose_y", "nose_v"}));
  std::size_t row = 1;
  for (const std::uint64_t id : {12, 7, 20}) {
    const std::vector<Truth> objects = shown(id);
    for (std::size_t n = 0; n < objects.size(); ++n, ++row) {
      const auto& fields = rows.at(row);
      EXPECT_EQ(fields[0], std::to_string(id));
      EXPECT_EQ(fields[1], "images/" + std::to_string(id) + ".png");
      EXPECT_EQ(fields[2], std::to_string(n));
      EXPECT_EQ(fields[3], objects[n].label);
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(std::stod(fields[4 + c]), objects[n].box[c], kPixels);
      EXPECT_FLOAT_EQ(std::stof(fields[8]), objects[n].confidence);
      for (std::size_t j = 0; j < 3; ++j)
        EXPECT_EQ(fields[11 + 3 * j], objects[n].keypoints[3 * j + 2] > 0 ? "2" : "0");
    }
  }
  EXPECT_EQ(row, rows.size());
  EXPECT_EQ(testing::read_text(prelabels_file_for(out)),
            testing::read_text(out / "csv/objects.csv"));
  const auto items = testing::parse_csv(testing::read_text(out / "csv/items.csv"));
  EXPECT_EQ(items.at(0), (std::vector<std::string>{"id", "file", "width", "height", "objects",
                                                   "score", "annotators"}));
  EXPECT_EQ(items.at(2),
            (std::vector<std::string>{"7", "images/7.png", "120", "60", "2", "1", ""}));
}

TEST_F(SourceExport, ThresholdDecidesWhichDetectionsAreShown) {
  request.inputs.prelabel_min_confidence = 0;
  request.formats = {Format::csv};
  run_export(request);
  // Every detection: the five objects and each item's low-confidence one, except image 7's and
  // 12's, which lie in the letterbox padding (pool pixels (1,1)-(3,3), above the originals).
  const auto rows = testing::parse_csv(testing::read_text(out / "csv/objects.csv"));
  EXPECT_EQ(rows.size(), 1 + truth.size() + 1);
  EXPECT_EQ(rows.back()[0], "20");
  EXPECT_NEAR(std::stod(rows.back()[4]), 0.5, kPixels);  // (1,1) in 32x32 is (0.5,0.5) in 16x16
  EXPECT_FLOAT_EQ(std::stof(rows.back()[8]), testing::kFixtureLowConfidence);
}

TEST(ClipToImage, ClipsToTheImageAndDropsWhatIsOutside) {
  std::array<double, 4> box = {-3, 2, 12, 30};
  EXPECT_TRUE(clip_to_image(box, {10, 20}));
  EXPECT_EQ(box, (std::array<double, 4>{0, 2, 10, 20}));
  std::array<double, 4> above = {1, -9, 3, -1};
  EXPECT_FALSE(clip_to_image(above, {10, 20}));
}

// A JPEG original (COCO imports read JPEGs too) is shown as a PNG of its decoded pixels, under
// the images/<id>.png name every reader expects; its size comes from its frame header.
TEST(JpegOriginal, IsWrittenAsAPngOfItsPixels) {
  testing::TempDir dir;
  std::vector<std::uint8_t> rgb(50 * 30 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = std::uint8_t(i * 7 % 251);
  testing::write_jpeg(dir / "photo.jpg", rgb, 50, 30, 3);
  EXPECT_EQ(pool::read_image_size(dir / "photo.jpg"), (pool::ImageSize{50, 30}));
  ExportBatch batch;
  ExportTask task;
  task.id = 4;
  task.file = image_file_for(4);
  task.original = (dir / "photo.jpg").string();
  batch.tasks.push_back(task);
  OutputFolder out(dir / "export");
  export_originals(batch, out);
  const auto png = testing::decode_png(dir / "export/images/4.png");
  const pool::DecodedImage jpeg = pool::read_image(dir / "photo.jpg");
  EXPECT_EQ(png.width, 50u);
  EXPECT_EQ(png.height, 30u);
  EXPECT_EQ(png.channels, 3);
  EXPECT_EQ(png.planar, jpeg.planar);
}

// A synthetic keypoint pool (no /source): tasks show the pool's pixels, pre-labels keep them.
TEST(PoolPixelsExport, PreLabelsKeepThePoolsCoordinates) {
  testing::TempDir dir;
  pool::SynthSpec spec;
  spec.count = 12;
  spec.shape = pool::parse_image_shape("1x32x32");
  spec.first_id = 100;
  pool::write_object_pool(spec, pool::ObjectSynth{}, dir / "pool.h5", Overwrite::refuse);
  testing::write_detection_scores(dir / "pool.h5", dir / "scores.h5");
  testing::write_fixture_selection(dir / "selection.h5", {105, 100, 111});
  ExportRequest request;
  request.inputs.selection = dir / "selection.h5";
  request.inputs.pool = dir / "pool.h5";
  request.inputs.scores = dir / "scores.h5";
  request.inputs.prelabel_min_confidence = 0.3;
  request.formats = {Format::label_studio, Format::csv};
  request.out = dir / "export";
  run_export(request);
  const auto pool = pool::PoolFile::open(dir / "pool.h5");
  const pool::ObjectTable objects = pool::read_objects(pool, 0, 12);
  const json tasks = read_json(dir / "export/label-studio/tasks.json");
  for (const json& task : tasks) {
    const std::uint64_t row = task["data"]["quarry_id"].get<std::uint64_t>() - 100;
    std::size_t n = 0;
    for (const json& result : task["predictions"][0]["result"]) {
      if (result["type"] != "rectanglelabels") continue;
      EXPECT_EQ(result["original_width"], 32);
      const std::size_t o = objects.first(row) + n++;
      const json& v = result["value"];
      EXPECT_NEAR(v["x"].get<double>() * 32 / 100, objects.boxes[4 * o], 1e-4);
      EXPECT_NEAR(v["y"].get<double>() * 32 / 100, objects.boxes[4 * o + 1], 1e-4);
      EXPECT_NEAR((v["x"].get<double>() + v["width"].get<double>()) * 32 / 100,
                  objects.boxes[4 * o + 2], 1e-4);
    }
    std::size_t expected = 0;  // the fixture's confidences 0.95, 0.65, 0.35 pass 0.3
    for (std::size_t j = 0; j < objects.objects(row); ++j)
      expected += testing::fixture_detection_confidence(j) >= 0.3f;
    EXPECT_EQ(n, expected);
  }
  // No display width: Label Studio 1.4.0 draws regions wrongly on a stage of set width.
  const std::string config = testing::read_text(dir / "export/label-studio/config.xml");
  EXPECT_EQ(config.find("width="), std::string::npos) << config;
  const auto decoded = testing::decode_png(dir / "export/images/105.png");
  EXPECT_EQ(decoded.width, 32u);
}

class RefusedObjectExport : public SourceExport {
 protected:
  template <class Exception>
  std::string refused() {
    std::set<std::string> before;
    for (const auto& entry : fs::directory_iterator(dir.path()))
      before.insert(entry.path().filename().string());
    try {
      run_export(request);
    } catch (const Exception& error) {
      std::set<std::string> after;
      for (const auto& entry : fs::directory_iterator(dir.path()))
        after.insert(entry.path().filename().string());
      EXPECT_EQ(after, before) << "something was published";
      return error.what();
    }
    ADD_FAILURE() << "the export was not refused";
    return {};
  }
};

TEST_F(RefusedObjectExport, ScoresWithoutDetections) {
  testing::write_detection_scores(dir / "pool.h5", dir / "classifier.h5", true);
  request.inputs.scores = dir / "classifier.h5";
  const std::string message = refused<InputError>();
  EXPECT_NE(message.find("classifier.h5: /detections: is missing"), std::string::npos) << message;
}

TEST_F(RefusedObjectExport, ThresholdsOutsideZeroToOne) {
  for (const double bad : {-0.1, 1.5, std::nan("")}) {
    request.inputs.prelabel_min_confidence = bad;
    const std::string message = refused<UsageError>();
    EXPECT_NE(message.find("--prelabel-min-confidence"), std::string::npos) << message;
  }
}

TEST_F(RefusedObjectExport, AMissingOriginal) {
  fs::remove(dir / "images/tall.png");
  const std::string message = refused<InputError>();
  EXPECT_NE(message.find("tall.png"), std::string::npos) << message;
  EXPECT_NE(message.find("pool.h5"), std::string::npos) << message;
}

TEST_F(RefusedObjectExport, GoldItemsNeedClassLabels) {
  request.inputs.gold_rate = 0.5;
  request.inputs.labels = dir / "ledger.h5";
  const std::string message = refused<UsageError>();
  EXPECT_NE(message.find("--gold-rate"), std::string::npos) << message;
}

}  // namespace
}  // namespace quarry::exporting
