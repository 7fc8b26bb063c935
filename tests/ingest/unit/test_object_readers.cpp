// The object readers: each tool's own output format read into records with objects in pixels of
// the image the annotator saw (Label Studio's percentages converted, COCO's and SageMaker's
// widths turned into corners, CVAT's groups and skeletons tied to their boxes), and the broken
// shapes each format allows rejected with the region named.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ingest/readers/object_readers.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {
namespace {

RecordSink sink_for(const char* name) {
  return RecordSink(name, false);
}

TEST(ObjectReaders, LabelStudioPercentagesAndParentIds) {
  auto sink = sink_for("ls.json");
  read_label_studio(R"([{"id": 4, "data": {"quarry_id": 12}, "annotations": [{"completed_by":
    {"email": "a@x"}, "result": [
    {"id": "b1", "type": "rectanglelabels", "original_width": 200, "original_height": 100,
     "value": {"x": 10, "y": 20, "width": 50, "height": 40, "rotation": 0,
               "rectanglelabels": ["head"]}},
    {"id": "k1", "type": "keypointlabels", "parentID": "b1", "original_width": 200,
     "original_height": 100, "value": {"x": 25, "y": 30, "width": 1, "keypointlabels": ["nose"]}}
    ]}]}])",
                    {}, sink, true);
  ASSERT_EQ(sink.records().size(), 1u);
  const auto& record = sink.records()[0];
  EXPECT_EQ(record.id, 12u);
  EXPECT_EQ(record.annotator, "a@x");
  ASSERT_EQ(record.objects.size(), 1u);
  const auto& o = record.objects[0];
  EXPECT_EQ(o.box, (std::array<double, 4>{20, 20, 120, 60}));
  EXPECT_EQ(o.label, "head");
  ASSERT_EQ(o.keypoints.size(), 1u);
  EXPECT_EQ(o.keypoints[0].name, "nose");
  EXPECT_DOUBLE_EQ(o.keypoints[0].x, 50);
  EXPECT_DOUBLE_EQ(o.keypoints[0].y, 30);
}

TEST(ObjectReaders, LabelStudioKeypointWithoutItsBoxIsRejected) {
  auto sink = sink_for("ls.json");
  EXPECT_THROW(read_label_studio(R"([{"id": 4, "data": {"quarry_id": 12}, "annotations": [
    {"completed_by": 1, "result": [{"id": "k1", "type": "keypointlabels", "original_width": 200,
     "original_height": 100, "value": {"x": 25, "y": 30, "keypointlabels": ["nose"]}}]}]}])",
                                 {}, sink, true),
               InputError);
}

TEST(ObjectReaders, CvatGroupsAndSkeletons) {
  auto sink = sink_for("job.xml");
  read_cvat(R"(<annotations><meta><job><assignee><username>dan</username></assignee></job></meta>
    <image id="0" name="images/7.png">
      <box label="head" source="auto" xtl="1" ytl="2" xbr="30" ybr="40" group_id="1"/>
      <box label="head" source="manual" xtl="50" ytl="50" xbr="60" ybr="70"/>
      <skeleton label="face" group_id="1">
        <points label="nose" occluded="1" outside="0" points="10.5,20"/>
        <points label="left_eye" outside="1" points="0,0"/>
      </skeleton>
    </image>
    <image id="1" name="images/8.png"></image></annotations>)",
            "", sink, true);
  ASSERT_EQ(sink.records().size(), 2u);  // an image without shapes is an answer too
  const auto& objects = sink.records()[0].objects;
  ASSERT_EQ(objects.size(), 2u);  // the kept pre-label (source="auto") counts
  EXPECT_EQ(objects[0].box, (std::array<double, 4>{1, 2, 30, 40}));
  ASSERT_EQ(objects[0].keypoints.size(), 1u);  // the point outside is not placed
  EXPECT_EQ(objects[0].keypoints[0].visibility, 1);
  EXPECT_DOUBLE_EQ(objects[0].keypoints[0].x, 10.5);
  EXPECT_TRUE(objects[1].keypoints.empty());
  EXPECT_TRUE(sink.records()[1].objects.empty());
}

TEST(ObjectReaders, SageMakerWorkersAndConsolidated) {
  auto sink = sink_for("out.manifest");
  read_sagemaker(
      R"({"source-ref": "s3://b/images/3.png", "quarry-id": 3, "annotations": [{"workerId": "w1", "annotationData": {"content": "{\"boundingBox\": {\"boundingBoxes\": [{\"label\": \"head\", \"left\": 5, \"top\": 6, \"width\": 10, \"height\": 20}]}}"}}]}
{"source-ref": "s3://b/images/4.png", "quarry-id": 4, "box": {"image_size": [{"width": 96, "height": 96, "depth": 1}], "annotations": [{"class_id": 0, "left": 1, "top": 2, "width": 3, "height": 4}]}, "box-metadata": {"objects": [{"confidence": 0.25}], "class-map": {"0": "head"}, "type": "groundtruth/object-detection", "job-name": "labeling-job/h"}}
)",
      sink, true);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].annotator, "w1");
  EXPECT_EQ(sink.records()[0].objects[0].box, (std::array<double, 4>{5, 6, 15, 26}));
  EXPECT_EQ(sink.records()[1].annotator, "labeling-job/h");
  const auto& consolidated = sink.records()[1].objects[0];
  EXPECT_EQ(consolidated.label, "head");
  EXPECT_DOUBLE_EQ(consolidated.score, 0.25);
  EXPECT_EQ(consolidated.box, (std::array<double, 4>{1, 2, 4, 6}));
}

TEST(ObjectReaders, CocoImagesCategoriesAndKeypoints) {
  auto sink = sink_for("coco.json");
  read_coco_objects(R"({"images": [{"id": 1, "file_name": "9.png"}, {"id": 2, "file_name": "x.png",
    "quarry_id": 10}], "categories": [{"id": 3, "name": "head", "keypoints": ["a", "b"]}],
    "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 2, 10, 20],
                     "keypoints": [4, 5, 2, 0, 0, 0]}]})",
                    "eve", sink);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].id, 9u);
  EXPECT_EQ(sink.records()[1].id, 10u);
  const auto& o = sink.records()[0].objects.at(0);
  EXPECT_EQ(o.box, (std::array<double, 4>{1, 2, 11, 22}));
  ASSERT_EQ(o.keypoints.size(), 1u);  // b is not labelled
  EXPECT_EQ(o.keypoints[0].name, "a");
  EXPECT_TRUE(sink.records()[1].objects.empty());
}

TEST(ObjectReaders, CsvRowsGroupIntoAnswers) {
  auto sink = sink_for("objects.csv");
  read_csv_objects(
      "annotator,id,class,x0,y0,x1,y1,nose_x,nose_y,nose_v\n"
      "ann,5,head,1,2,3,4,2,3,1\nann,5,head,5,6,7,8,,,0\nbob,5,,,,,,,,\n",
      sink);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].objects.size(), 2u);
  EXPECT_EQ(sink.records()[0].objects[0].keypoints.at(0).visibility, 1);
  EXPECT_TRUE(sink.records()[0].objects[1].keypoints.empty());
  EXPECT_TRUE(sink.records()[1].objects.empty());  // bob saw nothing
  auto missing = sink_for("bad.csv");
  EXPECT_THROW(read_csv_objects("id,class,x0,y0,x1,y1\n5,head,1,2,3,4\n", missing), InputError);
}

}  // namespace
}  // namespace quarry::ingest
