#include <gtest/gtest.h>

#include <cstring>

#include "pool/import.hpp"
#include "support/import_helpers.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

namespace fs = std::filesystem;
using testing::expect_refused;
using testing::read_pool;

template <class T>
std::vector<std::uint8_t> as_bytes(const std::vector<T>& values) {
  std::vector<std::uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

struct NpyOptions {
  int version = 1;
  bool fortran_order = false;
  std::string header;  // replaces the generated dict when not empty
};
NpyOptions version(int number) {
  NpyOptions options;
  options.version = number;
  return options;
}
NpyOptions fortran_order() {
  NpyOptions options;
  options.fortran_order = true;
  return options;
}
NpyOptions raw_header(std::string header) {
  NpyOptions options;
  options.header = std::move(header);
  return options;
}

// Writes a .npy file as numpy.save does: magic, version, header length, a dict padded with
// spaces and a newline to a multiple of 64 bytes, then `data` as given.
void write_npy(const fs::path& path, const std::string& descr,
               const std::vector<std::uint64_t>& shape, const std::vector<std::uint8_t>& data,
               const NpyOptions& options = {}) {
  std::string dict = options.header;
  if (dict.empty()) {
    std::string dims;
    for (std::uint64_t dim : shape) dims += std::to_string(dim) + (shape.size() == 1 ? "," : ", ");
    dict = "{'descr': '" + descr +
           "', 'fortran_order': " + (options.fortran_order ? "True" : "False") + ", 'shape': (" +
           dims + "), }";
  }
  const std::size_t prefix = options.version == 1 ? 10 : 12;
  dict += std::string(63 - (prefix + dict.size()) % 64, ' ') + "\n";
  std::vector<std::uint8_t> bytes{0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(options.version), 0};
  for (std::size_t i = 0; i < prefix - 8; ++i)
    bytes.push_back(std::uint8_t(dict.size() >> (8 * i)));
  bytes.insert(bytes.end(), dict.begin(), dict.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  testing::write_bytes(path, bytes);
}

std::vector<std::uint8_t> pixels(std::size_t count) {
  std::vector<std::uint8_t> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = std::uint8_t(i * 13 % 256);
  return values;
}

class ImportNpy : public ::testing::Test {
 protected:
  ImportRequest request(const fs::path& labels = {}) {
    ImportRequest r;
    r.format = "npy";
    r.input = items;
    r.labels = labels;
    r.out = out;
    return r;
  }
  // Three 2x2 gray images, valid, for tests about the labels file.
  void write_three_images() { write_npy(items, "|u1", {3, 2, 2}, pixels(12)); }

  testing::TempDir dir;
  fs::path items = dir / "items.npy";
  fs::path labels = dir / "labels.npy";
  fs::path out = dir / "pool.h5";
};

TEST_F(ImportNpy, GrayImagesWithInt64Labels) {
  write_npy(items, "|u1", {4, 2, 3}, pixels(24));
  write_npy(labels, "<i8", {4}, as_bytes(std::vector<std::int64_t>{1, 0, 3, -1}));
  ImportRequest r = request(labels);
  r.first_id = 5;
  import_pool(r);
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.kind, Kind::images);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(pool.meta.source, "npy " + items.string());
  EXPECT_EQ(pool.meta.classes, (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(pool.pixels, pixels(24));
  EXPECT_EQ(pool.ids, testing::consecutive_ids(5, 4));
  EXPECT_EQ(pool.labels, (std::vector<std::int32_t>{1, 0, 3, kUnknownLabel}));
}

TEST_F(ImportNpy, ChannelImagesWithInt32LabelsAndGivenClasses) {
  write_npy(items, "|u1", {3, 2, 2, 2}, pixels(24));
  write_npy(labels, "<i4", {3}, as_bytes(std::vector<std::int32_t>{0, 1, 0}));
  ImportRequest r = request(labels);
  r.classes = {"no", "yes"};
  import_npy(r);
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{2, 2, 2}));
  EXPECT_EQ(pool.meta.classes, r.classes);
  EXPECT_EQ(pool.pixels, pixels(24));
  EXPECT_EQ(pool.labels, (std::vector<std::int32_t>{0, 1, 0}));
}

TEST_F(ImportNpy, FeaturesStreamAcrossBatchesFromAVersion2File) {
  // 256 floats = 1 KiB per row: 1024 rows per chunk, so 5000 rows take two batches.
  const std::size_t n = 5000, d = 256;
  std::vector<float> features(n * d);
  for (std::size_t i = 0; i < features.size(); ++i) features[i] = float(i) * 0.25f - 7.0f;
  write_npy(items, "<f4", {n, d}, as_bytes(features), version(2));
  import_npy(request());
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.kind, Kind::features);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{d}));
  EXPECT_FALSE(pool.meta.has_labels);
  EXPECT_EQ(pool.features, features);
  EXPECT_EQ(pool.ids, testing::consecutive_ids(0, n));
}

TEST_F(ImportNpy, UnsupportedArraysAreRefused) {
  struct Case {
    std::string descr;
    std::vector<std::uint64_t> shape;
    std::size_t bytes;
    NpyOptions options;
    std::string problem;
  };
  const std::vector<Case> cases{
      {"<f8", {2, 3}, 48, version(1), "has dtype '<f8'"},
      {"|u1", {2, 3}, 6, version(1), "has shape (2, 3)"},
      {"<f4", {2, 3, 4}, 96, version(1), "has shape (2, 3, 4)"},
      {"|u1", {2, 2, 2}, 8, fortran_order(), "Fortran"},
      {"|u1", {2, 2, 2}, 7, version(1), "ends after 7 bytes of data; shape (2, 2, 2) needs 8"},
      {"|u1", {2, 2, 2}, 9, version(1), "holds 9 bytes of data; shape (2, 2, 2) needs only 8"},
      {"|u1", {0, 2, 2}, 0, version(1), "holds no items"},
      {"|u1", {1, 2, 2}, 4, version(4), "version 4"},
      {"|u1", {}, 4, raw_header("{'descr': '|u1', 'shape': (1, 2, 2), }"), "lacks one of"},
      {"|u1", {}, 4, raw_header("{'descr': '|u1', 'fortran_order': Maybe"), "neither True"},
      {"|u1", {}, 4, raw_header("{'descr': '|u1', 'shape': [1, 2, 2]"), "expected '('"}};
  for (const Case& c : cases) {
    write_npy(items, c.descr, c.shape, pixels(c.bytes), c.options);
    expect_refused([&] { import_npy(request()); }, out, {items.string(), c.problem});
  }
}

TEST_F(ImportNpy, FileThatIsNotNpyIsRefused) {
  testing::write_bytes(items, pixels(100));
  expect_refused([&] { import_npy(request()); }, out, {items.string(), "not a .npy file"});
}

TEST_F(ImportNpy, LabelsOfAnotherCountAreRefused) {
  write_three_images();
  write_npy(labels, "<i4", {2}, as_bytes(std::vector<std::int32_t>{0, 1}));
  expect_refused([&] { import_npy(request(labels)); }, out,
                 {labels.string(), "images file has 3 items, labels file has 2"});
}

TEST_F(ImportNpy, UnsupportedLabelsAreRefused) {
  struct Case {
    std::string descr;
    std::vector<std::uint64_t> shape;
    std::vector<std::uint8_t> data;
    std::string problem;
  };
  const std::vector<Case> cases{
      {"<f4", {3}, as_bytes(std::vector<float>{0, 1, 2}), "labels are int32 ('<i4') or int64"},
      {"<i4", {3, 1}, as_bytes(std::vector<std::int32_t>{0, 1, 2}), "labels are one per item"},
      {"<i8",
       {3},
       as_bytes(std::vector<std::int64_t>{0, std::int64_t{1} << 40, 1}),
       "row 1: label 1099511627776 is outside"},
      {"<i4", {3}, as_bytes(std::vector<std::int32_t>{0, 1, -2}), "row 2: label -2 is negative"},
      {"<i4", {3}, as_bytes(std::vector<std::int32_t>{0, 1}), "ends after 8 bytes of data"}};
  write_three_images();
  for (const Case& c : cases) {
    write_npy(labels, c.descr, c.shape, c.data);
    expect_refused([&] { import_npy(request(labels)); }, out, {labels.string(), c.problem});
  }
}

TEST_F(ImportNpy, LabelBeyondTheGivenClassesIsRefused) {
  write_three_images();
  write_npy(labels, "<i4", {3}, as_bytes(std::vector<std::int32_t>{0, 2, 1}));
  ImportRequest r = request(labels);
  r.classes = {"a", "b"};
  expect_refused([&] { import_npy(r); }, out,
                 {labels.string(), "row 1", "label 2 is not below the number of classes (2)"});
}

}  // namespace
}  // namespace quarry::pool
