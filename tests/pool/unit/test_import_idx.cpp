#include <gtest/gtest.h>
#include <zlib.h>

#include <map>

#include "pool/import.hpp"
#include "support/import_helpers.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

namespace fs = std::filesystem;
using testing::expect_refused;
using testing::read_pool;

enum class Packing { plain, gzip };

// An IDX file: 0, 0, type, ndims, big-endian uint32 dims, then `data` as given.
std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims,
                                    const std::vector<std::uint8_t>& data,
                                    std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> bytes{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t dim : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(std::uint8_t(dim >> shift));
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void write_file(const fs::path& path, const std::vector<std::uint8_t>& bytes, Packing packing) {
  if (packing == Packing::plain) return testing::write_bytes(path, bytes);
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), int(bytes.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

// n items of item_bytes each; byte p of item i is (7 i + p) % 251, so rows differ.
std::vector<std::uint8_t> pattern(std::size_t n, std::size_t item_bytes) {
  std::vector<std::uint8_t> pixels(n * item_bytes);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < item_bytes; ++p)
      pixels[i * item_bytes + p] = std::uint8_t((7 * i + p) % 251);
  return pixels;
}

class ImportIdx : public ::testing::Test {
 protected:
  ImportRequest request(const fs::path& images, const fs::path& labels = {}) {
    ImportRequest r;
    r.format = "idx";
    r.input = images;
    r.labels = labels;
    r.out = out;
    return r;
  }
  // Writes images (3 rows of 3x4 pixels, the pattern) and labels files.
  void write_small(const std::vector<std::uint8_t>& labels, Packing packing = Packing::plain) {
    write_file(images, idx_bytes({3, 3, 4}, pattern(3, 12)), packing);
    write_file(labels_file, idx_bytes({std::uint32_t(labels.size())}, labels), packing);
  }

  testing::TempDir dir;
  fs::path images = dir / "images.idx";
  fs::path labels_file = dir / "labels.idx";
  fs::path out = dir / "pool.h5";
};

TEST_F(ImportIdx, GzippedImagesAndPlainLabelsBecomeAPool) {
  write_file(dir / "images.gz", idx_bytes({5, 3, 4}, pattern(5, 12)), Packing::gzip);
  write_file(labels_file, idx_bytes({5}, {0, 2, 1, 2, 0}), Packing::plain);
  ImportRequest r = request(dir / "images.gz", labels_file);
  r.first_id = 100;
  import_pool(r);
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.count, 5u);
  EXPECT_EQ(pool.meta.shape.kind, Kind::images);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 3, 4}));
  EXPECT_EQ(pool.meta.classes, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(pool.meta.source, "idx " + (dir / "images.gz").string());
  EXPECT_EQ(pool.pixels, pattern(5, 12));
  EXPECT_EQ(pool.ids, testing::consecutive_ids(100, 5));
  EXPECT_EQ(pool.labels, (std::vector<std::int32_t>{0, 2, 1, 2, 0}));
}

TEST_F(ImportIdx, FourDimensionalFileKeepsChannelsAcrossSeveralBatches) {
  // 3x32x32 items: 256 rows per chunk, so 2500 rows take several batches, the last partial.
  const std::uint32_t n = 2500, item = 3 * 32 * 32;
  write_file(images, idx_bytes({n, 3, 32, 32}, pattern(n, item)), Packing::gzip);
  import_idx(request(images));
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{3, 32, 32}));
  EXPECT_EQ(pool.pixels, pattern(n, item));
  EXPECT_EQ(pool.ids, testing::consecutive_ids(0, n));
  EXPECT_FALSE(pool.meta.has_labels);
  EXPECT_TRUE(pool.labels.empty());
  EXPECT_TRUE(pool.meta.classes.empty());
}

TEST_F(ImportIdx, GivenClassNamesAreUsed) {
  write_small({1, 0, 1}, Packing::gzip);
  ImportRequest r = request(images, labels_file);
  r.classes = {"cat", "dog", "bird"};
  import_idx(r);
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.classes, r.classes);
  EXPECT_EQ(pool.labels, (std::vector<std::int32_t>{1, 0, 1}));
}

TEST_F(ImportIdx, CountsThatDisagreeAreRefused) {
  write_file(images, idx_bytes({3, 3, 4}, pattern(3, 12)), Packing::plain);
  write_file(labels_file, idx_bytes({2}, {0, 1}), Packing::plain);
  expect_refused([&] { import_idx(request(images, labels_file)); }, out,
                 {labels_file.string(), "images file has 3 items, labels file has 2"});
}

TEST_F(ImportIdx, TruncatedImagesAreRefused) {
  // Header 16 bytes + 4 items of 2x2 = 32 bytes; only 10 bytes of data follow.
  for (Packing packing : {Packing::plain, Packing::gzip}) {
    write_file(images, idx_bytes({4, 2, 2}, pattern(1, 10)), packing);
    expect_refused([&] { import_idx(request(images)); }, out,
                   {images.string(), "ends after 26 of 32 bytes"});
  }
}

TEST_F(ImportIdx, CutGzipStreamIsRefused) {
  write_file(dir / "full.gz", idx_bytes({100, 8, 8}, pattern(100, 64)), Packing::gzip);
  std::ifstream in(dir / "full.gz", std::ios::binary);
  std::vector<std::uint8_t> gz(std::istreambuf_iterator<char>(in), {});
  gz.resize(gz.size() / 2);
  testing::write_bytes(images, gz);
  expect_refused([&] { import_idx(request(images)); }, out, {images.string()});
}

TEST_F(ImportIdx, BadHeadersAreRefused) {
  struct Case {
    std::vector<std::uint8_t> bytes;
    std::string problem;
  };
  const std::vector<Case> cases{
      {{1, 2, 8, 1, 0, 0, 0, 0}, "not an IDX file"},
      {idx_bytes({1, 2, 2}, std::vector<std::uint8_t>(16), 0x0D), "element type 0x0d"},
      {idx_bytes({4, 4}, pattern(4, 4)), "has 2 dimensions"},
      {idx_bytes({0, 2, 2}, {}), "holds no items"},
      {idx_bytes({1, 2, 2}, pattern(1, 5)), "longer than its header says"}};
  for (const Case& c : cases) {
    write_file(images, c.bytes, Packing::plain);
    expect_refused([&] { import_idx(request(images)); }, out, {images.string(), c.problem});
  }
}

TEST_F(ImportIdx, LabelsFileMustBeOneDimensional) {
  write_file(images, idx_bytes({2, 2, 2}, pattern(2, 4)), Packing::plain);
  write_file(labels_file, idx_bytes({2, 1}, {0, 1}), Packing::plain);
  expect_refused([&] { import_idx(request(images, labels_file)); }, out,
                 {labels_file.string(), "has 2 dimensions; a labels file has 1"});
}

TEST_F(ImportIdx, LabelBeyondTheGivenClassesIsRefused) {
  write_small({0, 2, 1});
  ImportRequest r = request(images, labels_file);
  r.classes = {"cat", "dog"};
  expect_refused([&] { import_idx(r); }, out,
                 {labels_file.string(), "row 1", "label 2 is not below the number of classes (2)"});
}

TEST_F(ImportIdx, ExistingOutputIsKeptUnlessReplacing) {
  write_small({0, 1, 0});
  import_idx(request(images, labels_file));
  EXPECT_THROW(import_idx(request(images, labels_file)), UsageError);
  ImportRequest r = request(images, labels_file);
  r.overwrite = Overwrite::replace;
  r.first_id = 7;
  import_idx(r);
  EXPECT_EQ(read_pool(out).ids, testing::consecutive_ids(7, 3));
}

// A Fashion-MNIST folder in miniature: the four files with the dataset's names.
class ImportFashionMnist : public ImportIdx {
 protected:
  void write_split(const std::string& prefix, std::uint32_t n, Packing packing) {
    const std::string suffix = packing == Packing::gzip ? ".gz" : "";
    std::vector<std::uint8_t> labels(n);
    for (std::uint32_t i = 0; i < n; ++i) labels[i] = std::uint8_t(i % 10);
    write_file(folder / (prefix + "-images-idx3-ubyte" + suffix),
               idx_bytes({n, 28, 28}, pattern(n, 784)), packing);
    write_file(folder / (prefix + "-labels-idx1-ubyte" + suffix), idx_bytes({n}, labels), packing);
  }
  ImportRequest fashion(const fs::path& input, const std::string& split) {
    ImportRequest r = request(input);
    r.format = "fashion-mnist";
    r.split = split;
    return r;
  }

  fs::path folder = dir / "fashion";
  void SetUp() override { fs::create_directory(folder); }
};

const std::vector<std::string> kFashionClasses{"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                               "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                               "Bag",         "Ankle boot"};

TEST_F(ImportFashionMnist, ReadsTheChosenSplit) {
  write_split("train", 30, Packing::gzip);
  write_split("t10k", 20, Packing::plain);
  import_pool(fashion(folder, "test"));
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.count, 20u);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 28, 28}));
  EXPECT_EQ(pool.meta.classes, kFashionClasses);
  EXPECT_EQ(pool.meta.source,
            "fashion-mnist test (" + (folder / "t10k-images-idx3-ubyte").string() + ")");
  EXPECT_EQ(pool.pixels, pattern(20, 784));
  EXPECT_EQ(pool.labels[13], 3);

  fs::remove(out);
  import_pool(fashion(folder, "train"));
  EXPECT_EQ(read_pool(out).meta.source,
            "fashion-mnist train (" + (folder / "train-images-idx3-ubyte.gz").string() + ")");
}

TEST_F(ImportFashionMnist, UnknownSplitIsAUsageError) {
  EXPECT_THROW(import_fashion_mnist(fashion(folder, "valid")), UsageError);
}

TEST_F(ImportFashionMnist, MissingFolderOrFileNamesItAndHowToInstall) {
  for (const fs::path& input : {dir / "nowhere", folder}) {
    try {
      import_fashion_mnist(fashion(input, "train"));
      ADD_FAILURE() << "imported from " << input;
    } catch (const InputError& error) {
      const fs::path missing = input == folder ? folder / "train-images-idx3-ubyte.gz" : input;
      EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos)
          << error.what();
      EXPECT_NE(error.hint().find("apt-get install dataset-fashion-mnist"), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST_F(ImportFashionMnist, LabelBeyondTheTenClassesIsRefused) {
  write_split("t10k", 3, Packing::plain);
  write_file(folder / "t10k-labels-idx1-ubyte", idx_bytes({3}, {0, 10, 1}), Packing::plain);
  expect_refused([&] { import_fashion_mnist(fashion(folder, "test")); }, out,
                 {"t10k-labels-idx1-ubyte", "row 1", "label 10"});
}

TEST_F(ImportFashionMnist, RealTestSplitHasTenBalancedClasses) {
  const fs::path installed = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(installed / "t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << installed << " is absent (apt-get install dataset-fashion-mnist)";
  import_fashion_mnist(fashion(installed, "test"));
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.count, 10000u);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 28, 28}));
  EXPECT_EQ(pool.meta.classes, kFashionClasses);
  EXPECT_EQ(pool.ids, testing::consecutive_ids(0, 10000));
  std::map<std::int32_t, int> per_class;
  for (std::int32_t label : pool.labels) ++per_class[label];
  ASSERT_EQ(per_class.size(), 10u);
  for (const auto& [label, count] : per_class) EXPECT_EQ(count, 1000) << "class " << label;
}

}  // namespace
}  // namespace quarry::pool
