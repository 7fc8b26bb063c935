// Whole exports, parsed back format by format (JSON, XML, JSON Lines, CSV, PNG) and checked
// against the selection, the classes and the predictions; and the inputs an export refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <pugixml.hpp>
#include <set>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/sha256.hpp"
#include "export/export_run.hpp"
#include "files/manifest/manifest.hpp"
#include "files/pool/schema.hpp"
#include "files/pool/writer.hpp"
#include "files/selection/selection_file.hpp"
#include "support/fixture.hpp"
#include "support/parse_back.hpp"
#include "support/temp_dir.hpp"

namespace quarry::exporting {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ExportFixture;

ExportRequest request_for(const ExportFixture& fixture, const fs::path& out) {
  ExportRequest request;
  request.inputs.selection = fixture.selection;
  request.inputs.pool = fixture.pool;
  request.inputs.scores = fixture.scores;
  request.formats = all_formats();
  request.out = out;
  return request;
}

// The pool's pixels of one item, [C,H,W].
std::vector<std::uint8_t> pool_pixels(const fs::path& path, std::uint64_t id) {
  const auto pool = pool::PoolFile::open(path);
  const auto ids = pool.ids().read_all<std::uint64_t>();
  const auto row = std::find(ids.begin(), ids.end(), id) - ids.begin();
  std::vector<std::uint8_t> pixels(pool.meta().shape.bytes());
  pool.items().read_rows<std::uint8_t>(row, 1, pixels);
  return pixels;
}

std::string class_of(const ExportFixture& fixture, std::uint64_t id) {
  return fixture.classes[testing::fixture_prediction(id, static_cast<int>(fixture.classes.size()))];
}

float probability_of(const ExportFixture& fixture, std::uint64_t id) {
  const int classes = static_cast<int>(fixture.classes.size());
  return testing::fixture_probabilities(id, classes)[testing::fixture_prediction(id, classes)];
}

json read_json(const fs::path& path) {
  return json::parse(testing::read_text(path));
}

class WholeExport : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FixtureSpec spec;
    spec.items = 300;
    spec.shape = "1x9x7";
    spec.classes = 4;
    spec.k = 24;
    fixture = testing::make_export_fixture(dir.path(), spec);
    request = request_for(fixture, out);
    request.inputs.annotators = {"ann", "bob", "cy@lab.org"};
    request.inputs.annotators_per_item = 2;
    request.sagemaker_prefix = "s3://bucket/round-3/";
    summary = run_export(request);
  }

  // Annotator names per quarry id, as the per-annotator Label Studio files assign them.
  std::map<std::uint64_t, std::set<std::string>> assignment_from_label_studio() const {
    std::map<std::uint64_t, std::set<std::string>> assigned;
    for (const std::string& name : request.inputs.annotators)
      for (const json& task : read_json(out / "label-studio/annotators" / (name + ".json")))
        assigned[task["data"]["quarry_id"].get<std::uint64_t>()].insert(name);
    return assigned;
  }

  testing::TempDir dir;
  fs::path out = dir / "export";
  ExportFixture fixture;
  ExportRequest request;
  ExportSummary summary;
};

TEST_F(WholeExport, PublishesOneFolderAndItsManifestOnly) {
  EXPECT_EQ(summary.tasks, fixture.selected.size());
  EXPECT_EQ(summary.selected, fixture.selected.size());
  std::set<std::string> entries;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    entries.insert(entry.path().filename().string());
  // Beside the folder, for ingest only: the pre-label each task showed.
  EXPECT_EQ(entries, (std::set<std::string>{"pool.h5", "scores.h5", "selection.h5", "export",
                                            "export.manifest.json", "export.prelabels.csv"}));
  const auto prelabels = testing::read_text(prelabels_file_for(out));
  EXPECT_EQ(prelabels.substr(0, prelabels.find('\n')), "id,predicted_class,probability");
  EXPECT_EQ(std::size_t(std::count(prelabels.begin(), prelabels.end(), '\n')),
            fixture.selected.size() + 1);
  EXPECT_TRUE(fs::exists(out / "README.md"));
  EXPECT_NE(testing::read_text(out / "README.md").find("Label Studio"), std::string::npos);
}

TEST_F(WholeExport, ManifestHoldsCountsAndTheSha256OfEveryFile) {
  const json manifest = read_complete_manifest(out);
  ASSERT_FALSE(manifest.is_null()) << "no complete manifest";
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string relative = fs::relative(entry.path(), out).string();
    ASSERT_TRUE(manifest["outputs"].contains(relative)) << relative;
    EXPECT_EQ(manifest["outputs"][relative]["sha256"], sha256_file(entry.path())) << relative;
    // coco/images/default/ links take their digest from images/, but keep their own path.
    EXPECT_TRUE(manifest["outputs"][relative]["path"].get<std::string>().ends_with(relative));
  }
  EXPECT_EQ(manifest["outputs"].size(), files + 1);  // and the pre-label list beside the folder
  EXPECT_TRUE(manifest["outputs"].contains("prelabels"));
  EXPECT_EQ(manifest["settings"]["counts"]["tasks"], fixture.selected.size());
  EXPECT_EQ(manifest["settings"]["counts"]["files"], files);
  EXPECT_EQ(manifest["settings"]["counts"]["per_annotator"]["ann"].get<int>() +
                manifest["settings"]["counts"]["per_annotator"]["bob"].get<int>() +
                manifest["settings"]["counts"]["per_annotator"]["cy@lab.org"].get<int>(),
            2 * static_cast<int>(fixture.selected.size()));
  EXPECT_TRUE(manifest["inputs"].contains("pool"));
}

TEST_F(WholeExport, ImagesDecodeToThePoolPixels) {
  std::size_t images = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(out / "images")) ++images;
  EXPECT_EQ(images, fixture.selected.size());
  for (const std::uint64_t id : fixture.selected) {
    const auto png = testing::decode_png(out / "images" / (std::to_string(id) + ".png"));
    EXPECT_EQ(png.channels, 1);
    EXPECT_EQ(png.width, 7u);
    EXPECT_EQ(png.height, 9u);
    EXPECT_EQ(png.planar, pool_pixels(fixture.pool, id)) << "id " << id;
  }
}

TEST_F(WholeExport, LabelStudioTasksCarryIdsAndPredictionsInPickOrder) {
  const json tasks = read_json(out / "label-studio/tasks.json");
  ASSERT_TRUE(tasks.is_array());
  ASSERT_EQ(tasks.size(), fixture.selected.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const std::uint64_t id = fixture.selected[i];
    const json& task = tasks[i];
    EXPECT_EQ(task["id"], i + 1);
    EXPECT_EQ(task["data"]["quarry_id"], id);
    EXPECT_EQ(task["data"]["image"],
              "/data/local-files/?d=export/images/" + std::to_string(id) + ".png");
    ASSERT_EQ(task["predictions"].size(), 1u);
    const json& prediction = task["predictions"][0];
    EXPECT_EQ(prediction["model_version"], "model.pt@0123456789ab");
    EXPECT_FLOAT_EQ(prediction["score"].get<float>(), probability_of(fixture, id));
    ASSERT_EQ(prediction["result"].size(), 1u);
    const json& result = prediction["result"][0];
    EXPECT_EQ(result["from_name"], "label");
    EXPECT_EQ(result["to_name"], "image");
    EXPECT_EQ(result["type"], "choices");
    EXPECT_EQ(result["value"]["choices"], json::array({class_of(fixture, id)}));
  }
}

TEST_F(WholeExport, LabelStudioConfigNamesEveryClass) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((out / "label-studio/config.xml").c_str()));
  const pugi::xml_node choices = doc.child("View").child("Choices");
  EXPECT_STREQ(choices.attribute("name").value(), "label");
  EXPECT_STREQ(choices.attribute("toName").value(), "image");
  const pugi::xml_node image = doc.child("View").child("Image");
  EXPECT_STREQ(image.attribute("value").value(), "$image");
  // 7x9 items: shown 29 times their size (203 px wide), pixelated.
  EXPECT_STREQ(image.attribute("width").value(), "203px");
  EXPECT_STREQ(image.attribute("smoothing").value(), "false");
  std::vector<std::string> names;
  for (const pugi::xml_node choice : choices.children("Choice"))
    names.push_back(choice.attribute("value").value());
  EXPECT_EQ(names, fixture.classes);
}

TEST_F(WholeExport, EachItemGoesToTheRequestedNumberOfDistinctAnnotators) {
  const auto assigned = assignment_from_label_studio();
  ASSERT_EQ(assigned.size(), fixture.selected.size());
  std::map<std::string, std::size_t> load;
  for (const auto& [id, names] : assigned) {
    EXPECT_EQ(names.size(), 2u) << "id " << id;
    for (const auto& name : names) ++load[name];
  }
  for (const auto& [name, count] : load) EXPECT_EQ(count, 16u) << name;  // 24 items x 2 / 3
}

TEST_F(WholeExport, CvatXmlHasLabelsInMetaAndPredictionsAsTags) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((out / "cvat/annotations.xml").c_str()));
  const pugi::xml_node root = doc.child("annotations");
  EXPECT_STREQ(root.child_value("version"), "1.1");
  std::vector<std::string> labels;
  for (const pugi::xml_node label :
       root.child("meta").child("task").child("labels").children("label"))
    labels.push_back(label.child_value("name"));
  EXPECT_EQ(labels, fixture.classes);
  std::size_t i = 0;
  for (const pugi::xml_node image : root.children("image")) {
    ASSERT_LT(i, fixture.selected.size());
    const std::uint64_t id = fixture.selected[i];
    EXPECT_EQ(image.attribute("id").as_ullong(), i);
    EXPECT_EQ(std::string(image.attribute("name").value()),
              "images/" + std::to_string(id) + ".png");
    EXPECT_EQ(image.attribute("width").as_uint(), 7u);
    EXPECT_EQ(image.attribute("height").as_uint(), 9u);
    EXPECT_EQ(std::string(image.child("tag").attribute("label").value()), class_of(fixture, id));
    EXPECT_STREQ(image.child("tag").attribute("source").value(), "auto");
    ++i;
  }
  EXPECT_EQ(i, fixture.selected.size());

  // Per annotator: their items only, and the assignee named in <meta>.
  const auto assigned = assignment_from_label_studio();
  for (const std::string& name : request.inputs.annotators) {
    pugi::xml_document mine;
    ASSERT_TRUE(mine.load_file((out / "cvat/annotators" / (name + ".xml")).c_str()));
    EXPECT_EQ(std::string(mine.child("annotations")
                              .child("meta")
                              .child("task")
                              .child("assignee")
                              .child_value("username")),
              name);
    const std::string list = testing::read_text(out / "cvat/annotators" / (name + ".txt"));
    for (const pugi::xml_node image : mine.child("annotations").children("image")) {
      const std::string file = image.attribute("name").value();
      const std::uint64_t id = std::stoull(file.substr(7));
      EXPECT_TRUE(assigned.at(id).count(name)) << name << " got " << file;
      EXPECT_NE(list.find(file + "\n"), std::string::npos);
    }
  }
}

TEST_F(WholeExport, CocoHasTheFieldsCommonReadersRequire) {
  // CVAT's "COCO 1.0" layout, the one datumaro finds.
  const json coco = read_json(out / "coco/annotations/instances_default.json");
  EXPECT_FALSE(fs::exists(out / "coco/annotations.json"));
  ASSERT_EQ(coco["categories"].size(), fixture.classes.size());
  for (std::size_t c = 0; c < fixture.classes.size(); ++c) {
    EXPECT_EQ(coco["categories"][c]["id"], c + 1);
    EXPECT_EQ(coco["categories"][c]["name"], fixture.classes[c]);
  }
  ASSERT_EQ(coco["images"].size(), fixture.selected.size());
  ASSERT_EQ(coco["annotations"].size(), fixture.selected.size());
  std::set<std::uint64_t> annotation_ids;
  for (std::size_t i = 0; i < fixture.selected.size(); ++i) {
    const std::uint64_t id = fixture.selected[i];
    const json& image = coco["images"][i];
    EXPECT_EQ(image["quarry_id"], id);
    EXPECT_EQ(image["file_name"], std::to_string(id) + ".png");
    // The subset's image is the export's image, not a second copy.
    const fs::path subset_image = out / "coco/images/default" / (std::to_string(id) + ".png");
    EXPECT_EQ(testing::read_text(subset_image),
              testing::read_text(out / "images" / (std::to_string(id) + ".png")));
    EXPECT_EQ(fs::hard_link_count(subset_image), 2u);
    EXPECT_EQ(image["width"], 7);
    EXPECT_EQ(image["height"], 9);
    const json& annotation = coco["annotations"][i];
    annotation_ids.insert(annotation["id"].get<std::uint64_t>());
    EXPECT_EQ(annotation["image_id"], image["id"]);
    EXPECT_EQ(coco["categories"][annotation["category_id"].get<int>() - 1]["name"],
              class_of(fixture, id));
    EXPECT_EQ(annotation["iscrowd"], 0);
    EXPECT_EQ(annotation["area"], 63.0);
    // The box as a polygon: pycocotools' annToMask raises IndexError on an empty list.
    EXPECT_EQ(annotation["segmentation"],
              json::array({json::array({0.0, 0.0, 7.0, 0.0, 7.0, 9.0, 0.0, 9.0})}));
    EXPECT_EQ(annotation["bbox"], json::array({0.0, 0.0, 7.0, 9.0}));
    EXPECT_FLOAT_EQ(annotation["score"].get<float>(), probability_of(fixture, id));
  }
  EXPECT_EQ(annotation_ids.size(), fixture.selected.size()) << "annotation ids repeat";
}

TEST_F(WholeExport, SageMakerManifestIsJsonLinesWithSourceRefAndId) {
  const std::string text = testing::read_text(out / "sagemaker/manifest.jsonl");
  std::stringstream lines(text);
  std::size_t i = 0;
  for (std::string line; std::getline(lines, line); ++i) {
    ASSERT_LT(i, fixture.selected.size());
    const std::uint64_t id = fixture.selected[i];
    const json record = json::parse(line);
    EXPECT_EQ(record["source-ref"], "s3://bucket/round-3/images/" + std::to_string(id) + ".png");
    EXPECT_EQ(record["quarry-id"], id);
    EXPECT_EQ(record["quarry-predicted-class"], class_of(fixture, id));
  }
  EXPECT_EQ(i, fixture.selected.size());
  const json categories = read_json(out / "sagemaker/label-categories.json");
  ASSERT_EQ(categories["labels"].size(), fixture.classes.size());
  EXPECT_EQ(categories["labels"][1]["label"], fixture.classes[1]);
  std::size_t assigned_lines = 0;
  for (const std::string& name : request.inputs.annotators) {
    std::stringstream mine(testing::read_text(out / "sagemaker/annotators" / (name + ".jsonl")));
    for (std::string line; std::getline(mine, line);) ++assigned_lines;
  }
  EXPECT_EQ(assigned_lines, 2 * fixture.selected.size());
}

TEST_F(WholeExport, CsvRowsMatchSelectionPredictionsAndAssignment) {
  const auto rows = testing::parse_csv(testing::read_text(out / "csv/items.csv"));
  ASSERT_EQ(rows.size(), fixture.selected.size() + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "file", "predicted_class", "probability",
                                               "score", "annotators"}));
  const auto assigned = assignment_from_label_studio();
  for (std::size_t i = 0; i < fixture.selected.size(); ++i) {
    const auto& row = rows[i + 1];
    const std::uint64_t id = fixture.selected[i];
    ASSERT_EQ(row.size(), 6u);
    EXPECT_EQ(std::stoull(row[0]), id);
    EXPECT_EQ(row[1], "images/" + std::to_string(id) + ".png");
    EXPECT_EQ(row[2], class_of(fixture, id));
    EXPECT_EQ(std::stof(row[3]), probability_of(fixture, id));
    // The fixture's selection scores: 1 - i / (k + 1), in pick order.
    EXPECT_EQ(std::stof(row[4]), 1.0f - static_cast<float>(i) / 25.0f);
    std::set<std::string> names;
    std::stringstream field(row[5]);
    for (std::string name; std::getline(field, name, ';');) names.insert(name);
    EXPECT_EQ(names, assigned.at(id));
  }
}

TEST(ExportRgb, ThreeChannelItemsBecomeRgbPngs) {
  testing::TempDir dir;
  testing::FixtureSpec spec;
  spec.items = 40;
  spec.shape = "3x5x6";
  spec.k = 6;
  const auto fixture = testing::make_export_fixture(dir.path(), spec);
  auto request = request_for(fixture, dir / "rgb");
  request.formats = {Format::csv};
  run_export(request);
  for (const std::uint64_t id : fixture.selected) {
    const auto png = testing::decode_png(dir / "rgb/images" / (std::to_string(id) + ".png"));
    EXPECT_EQ(png.channels, 3);
    EXPECT_EQ(png.planar, pool_pixels(fixture.pool, id));
  }
  EXPECT_FALSE(fs::exists(dir / "rgb/label-studio")) << "a format nobody asked for";
}

// Bad input: the error names the file and the problem, and nothing appears in the folder.
class RefusedExport : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FixtureSpec spec;
    spec.items = 60;
    spec.k = 5;
    fixture = testing::make_export_fixture(dir.path(), spec);
    request = request_for(fixture, dir / "export");
  }
  std::set<std::string> entries() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir.path()))
      names.insert(entry.path().filename().string());
    return names;
  }
  template <class Exception>
  std::string refused() {
    const auto before = entries();
    try {
      run_export(request);
    } catch (const Exception& error) {
      EXPECT_EQ(entries(), before) << "something was published";
      return error.what();
    }
    ADD_FAILURE() << "the export was not refused";
    return {};
  }
  testing::TempDir dir;
  testing::ExportFixture fixture;
  ExportRequest request;
};

TEST_F(RefusedExport, SelectionIdsMissingFromThePool) {
  request.inputs.selection = dir / "foreign.h5";
  quarry::select::Selection foreign;
  foreign.ids = {1000, 99999};
  foreign.score = foreign.reason = {0, 0};
  foreign.strategy = "margin";
  quarry::select::write_selection(request.inputs.selection, foreign);
  const std::string message = refused<InputError>();
  EXPECT_NE(message.find("foreign.h5: /ids: row 1: id 99999 is not in the pool"), std::string::npos)
      << message;
}

TEST_F(RefusedExport, ScoresOfAnotherPool) {
  request.inputs.scores = dir / "other-scores.h5";
  testing::write_fixture_scores(fixture.pool, request.inputs.scores, 5);
  const std::string message = refused<InputError>();
  EXPECT_NE(message.find("other-scores.h5: /ids: row 0 holds id 1005 but the pool"),
            std::string::npos)
      << message;

  // Another pool of a different size is caught by the count alone.
  testing::TempDir other;
  testing::FixtureSpec spec;
  spec.items = 70;
  const auto bigger = testing::make_export_fixture(other.path(), spec);
  request.inputs.scores = bigger.scores;
  EXPECT_NE(refused<InputError>().find("has 70 items but the pool"), std::string::npos);
}

TEST_F(RefusedExport, AnExistingNonEmptyFolderUnlessForced) {
  fs::create_directories(dir / "export");
  std::ofstream(dir / "export/notes.txt") << "keep me";
  EXPECT_NE(refused<UsageError>().find("already exists and is not empty"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "export/notes.txt"));

  request.force = true;
  run_export(request);
  EXPECT_FALSE(fs::exists(dir / "export/notes.txt"));
  EXPECT_TRUE(fs::exists(dir / "export/csv/items.csv"));
  EXPECT_FALSE(read_complete_manifest(dir / "export").is_null());
}

TEST_F(RefusedExport, AnEmptyExistingFolderIsFilled) {
  fs::create_directories(dir / "export");
  request.out = dir / "export/";  // a trailing slash names the same folder
  run_export(request);
  EXPECT_TRUE(fs::exists(dir / "export/label-studio/tasks.json"));
  EXPECT_TRUE(fs::exists(dir / "export.manifest.json"));
}

TEST_F(RefusedExport, APoolOfFeaturesHasNoImagesToShow) {
  pool::PoolSpec spec;
  spec.count = 8;
  spec.shape = {pool::Kind::features, {4}};
  spec.classes = fixture.classes;
  pool::PoolWriter writer(dir / "features.h5", Overwrite::refuse, spec);
  const std::vector<float> features(8 * 4, 0.5f);
  std::vector<std::uint64_t> ids(8);
  std::iota(ids.begin(), ids.end(), std::uint64_t{1000});
  writer.append(std::span<const float>(features), ids);
  writer.finish();
  request.inputs.pool = dir / "features.h5";
  request.inputs.scores = dir / "features-scores.h5";
  testing::write_fixture_scores(request.inputs.pool, request.inputs.scores);
  request.inputs.selection = dir / "features-selection.h5";
  quarry::select::Selection selection;
  selection.ids = {1003, 1001};
  selection.score = selection.reason = {0, 0};
  quarry::select::write_selection(request.inputs.selection, selection);
  EXPECT_NE(refused<InputError>().find("features.h5: /features: holds precomputed features"),
            std::string::npos);
}

TEST_F(RefusedExport, InterruptedBeforeTheEndPublishesNothing) {
  request_interrupt();  // what SIGTERM or SIGUSR1 does
  EXPECT_NE(refused<Interrupted>().find("nothing was published"), std::string::npos);
  clear_interrupt();
}

TEST_F(RefusedExport, MoreAnnotatorsPerItemThanAnnotators) {
  request.inputs.annotators = {"ann", "bob"};
  request.inputs.annotators_per_item = 3;
  EXPECT_NE(refused<UsageError>().find("needs at least 3 annotators"), std::string::npos);
  request.inputs.annotators.clear();
  EXPECT_NE(refused<UsageError>().find("needs --annotators"), std::string::npos);
}

}  // namespace
}  // namespace quarry::exporting
