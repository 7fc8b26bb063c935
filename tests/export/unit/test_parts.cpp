// The export's building blocks: format names, annotator assignment, CSV quoting, row runs and
// PNG encoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "export/assignment.hpp"
#include "export/formats.hpp"
#include "export/output_folder.hpp"
#include "export/writers.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/row_runs.hpp"
#include "h5/file.hpp"
#include "support/parse_back.hpp"
#include "support/temp_dir.hpp"

namespace quarry::exporting {
namespace {

TEST(ExportFormats, ParsesNamesInOrderWithoutDuplicates) {
  EXPECT_EQ(parse_formats("csv,label-studio,csv"),
            (std::vector<Format>{Format::csv, Format::label_studio}));
  EXPECT_EQ(parse_formats("label-studio,cvat,coco,sagemaker,csv"), all_formats());
}

TEST(ExportFormats, UnknownOrEmptyNamesAreUsageErrors) {
  try {
    parse_formats("cvat,yolo");
    FAIL() << "yolo accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("unknown format 'yolo'"), std::string::npos);
    EXPECT_NE(error.hint().find("label-studio, cvat, coco, sagemaker, csv"), std::string::npos);
  }
  EXPECT_THROW(parse_formats(""), UsageError);
  EXPECT_THROW(parse_formats("cvat,,csv"), UsageError);
}

std::vector<std::uint64_t> ids_from(std::uint64_t first, std::size_t n) {
  std::vector<std::uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), first);
  return ids;
}

TEST(AnnotatorAssignment, DistinctBalancedAndDeterministic) {
  for (const auto& [annotators, per_item, items] :
       {std::tuple{3u, 2u, 100u}, std::tuple{5u, 3u, 37u}, std::tuple{4u, 4u, 9u},
        std::tuple{7u, 1u, 50u}}) {
    const auto ids = ids_from(500, items);
    const auto assigned = assign_annotators(ids, annotators, per_item, 11);
    ASSERT_EQ(assigned.size(), items);
    std::vector<std::size_t> load(annotators, 0);
    for (const auto& chosen : assigned) {
      ASSERT_EQ(chosen.size(), per_item);
      EXPECT_EQ(std::set(chosen.begin(), chosen.end()).size(), per_item) << "repeated annotator";
      for (const auto a : chosen) {
        ASSERT_LT(a, annotators);
        ++load[a];
      }
    }
    const auto [low, high] = std::minmax_element(load.begin(), load.end());
    EXPECT_LE(*high - *low, 1u) << annotators << " annotators, " << per_item << " per item";
    EXPECT_EQ(assign_annotators(ids, annotators, per_item, 11), assigned);
  }
}

TEST(AnnotatorAssignment, VariesPairingsSoAgreementCanBeMeasured) {
  const auto assigned = assign_annotators(ids_from(0, 60), 4, 2, 3);
  std::set<std::vector<std::uint32_t>> pairs(assigned.begin(), assigned.end());
  EXPECT_GE(pairs.size(), 4u) << "the same pairs of people on every item";
  EXPECT_NE(assign_annotators(ids_from(0, 60), 4, 2, 4), assigned) << "seed has no effect";
}

TEST(AnnotatorAssignment, RefusesImpossibleRequests) {
  const auto ids = ids_from(0, 5);
  EXPECT_THROW(assign_annotators(ids, 2, 3, 0), UsageError);
  EXPECT_THROW(assign_annotators(ids, 2, 0, 0), UsageError);
  EXPECT_THROW(check_annotator_names({"ann", "bob", "ann"}), UsageError);
  EXPECT_THROW(check_annotator_names({"a/b"}), UsageError);
  EXPECT_THROW(check_annotator_names({".hidden"}), UsageError);
  EXPECT_NO_THROW(check_annotator_names({"ann@lab.org", "bob_2", "c-d+e.f"}));
}

TEST(ExportCsv, QuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  const auto rows = testing::parse_csv("x," + csv_field("a,\"b\"\nc") + "\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"x", "a,\"b\"\nc"}));
}

TEST(LabelStudioPrefix, LocalFilesUrlOfTheFolderPercentEncoded) {
  EXPECT_EQ(local_files_prefix("round-7_a.b"), "/data/local-files/?d=round-7_a.b/");
  EXPECT_EQ(local_files_prefix("round 7&x#"), "/data/local-files/?d=round%207%26x%23/");
  // A folder below the document root keeps its slashes: one root serves every round.
  EXPECT_EQ(local_files_prefix("rounds/0003/export"), "/data/local-files/?d=rounds/0003/export/");
}

TEST(LabelStudioDisplay, SmallImagesUpscaledByAWholeFactorLargeOnesLeftAlone) {
  EXPECT_EQ(display_width({1, 28, 28}), 280u);   // x10: 28 px would need zooming on every task
  EXPECT_EQ(display_width({3, 32, 32}), 256u);   // x8 (CIFAR)
  EXPECT_EQ(display_width({1, 9, 7}), 203u);     // x29: the longer side (9) reaches 256
  EXPECT_EQ(display_width({1, 10, 255}), 510u);  // x2, by the longer side
  EXPECT_EQ(display_width({3, 256, 256}), 256u);
  EXPECT_EQ(display_width({3, 480, 640}), 640u);
}

TEST(RowRuns, StayInsideChunksAndSkipOnlySmallGaps) {
  // 100-byte rows: a gap of up to 655 rows is read through; chunks of 1000 rows.
  const std::vector<std::uint64_t> rows = {3, 4, 10, 600, 1001, 5000, 5700};
  const auto runs = pool::plan_row_runs(rows, 1000, 100);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].first_row, 3u);
  EXPECT_EQ(runs[0].rows, 598u);  // 3..600: one chunk, gaps under 64 KiB
  EXPECT_EQ(runs[0].count, 4u);
  EXPECT_EQ(runs[1].first_row, 1001u);  // the next chunk, though only 400 rows on
  EXPECT_EQ(runs[2].first_row, 5000u);
  EXPECT_EQ(runs[3].first_row, 5700u);  // 699 rows of gap: two reads
  EXPECT_EQ(runs[3].first, 6u);
}

TEST(RowRuns, ReadSortedRowsEqualsReadingEachRow) {
  testing::TempDir dir;
  auto file = h5::File::create(dir / "rows.h5");
  const hsize_t n = 3000, width = 5;
  auto dataset = file.create_dataset<std::int32_t>("/values", {n, width}, h5::Layout{256, 0});
  std::vector<std::int32_t> values(n * width);
  std::iota(values.begin(), values.end(), 0);
  dataset.write_rows<std::int32_t>(0, n, values);
  const std::vector<std::uint64_t> rows = {0, 1, 255, 256, 700, 701, 1999, 2999};
  const auto read = pool::read_sorted_rows<std::int32_t>(dataset, rows);
  ASSERT_EQ(read.size(), rows.size() * width);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (hsize_t c = 0; c < width; ++c)
      EXPECT_EQ(read[i * width + c], static_cast<std::int32_t>(rows[i] * width + c));
}

TEST(PngEncoder, GrayAndRgbDecodeToTheSamePixels) {
  testing::TempDir dir;
  OutputFolder out(dir.path());
  for (const ImageShape shape : {ImageShape{1, 7, 5}, ImageShape{3, 4, 6}}) {
    std::vector<std::uint8_t> planar(std::size_t(shape.channels) * shape.height * shape.width);
    for (std::size_t i = 0; i < planar.size(); ++i) planar[i] = static_cast<std::uint8_t>(i * 37);
    const std::string name = "c" + std::to_string(shape.channels) + ".png";
    out.write(name, png::encode(planar, shape));
    const auto png = testing::decode_png(dir / name);
    EXPECT_EQ(png.channels, static_cast<int>(shape.channels));
    EXPECT_EQ(png.width, shape.width);
    EXPECT_EQ(png.height, shape.height);
    EXPECT_EQ(png.planar, planar);
  }
  EXPECT_FALSE(png::can_hold(2));
  EXPECT_THROW(png::encode(std::vector<std::uint8_t>(8), ImageShape{2, 2, 2}), Error);
}

}  // namespace
}  // namespace quarry::exporting
