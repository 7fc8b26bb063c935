#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spng.h>

#include <cstdlib>
#include <memory>

#include "pool/import.hpp"
#include "support/import_helpers.hpp"
#include "support/temp_dir.hpp"

namespace quarry::pool {
namespace {

namespace fs = std::filesystem;
using testing::expect_refused;
using testing::read_pool;

// An 8-bit image as a PNG holds it: interleaved [H,W,channels].
struct Image {
  std::uint32_t width, height;
  std::uint8_t color_type;
  std::vector<std::uint8_t> interleaved;

  std::size_t channels() const {
    switch (color_type) {
      case SPNG_COLOR_TYPE_GRAYSCALE:
        return 1;
      case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA:
        return 2;
      case SPNG_COLOR_TYPE_TRUECOLOR:
        return 3;
      default:
        return 4;
    }
  }
  // The pool's planar [C,H,W] layout of the first `keep` channels (alpha is dropped).
  std::vector<std::uint8_t> planar(std::size_t keep) const {
    std::vector<std::uint8_t> out;
    for (std::size_t c = 0; c < keep; ++c)
      for (std::size_t p = 0; p < std::size_t{width} * height; ++p)
        out.push_back(interleaved[p * channels() + c]);
    return out;
  }
};

// Distinct content per seed, so a misordered or misplaced image shows.
Image make_image(std::uint32_t width, std::uint32_t height, std::uint8_t color_type, int seed) {
  Image image{width, height, color_type, {}};
  image.interleaved.resize(std::size_t{width} * height * image.channels());
  for (std::size_t k = 0; k < image.interleaved.size(); ++k)
    image.interleaved[k] = std::uint8_t((seed * 31 + k * 7) % 256);
  return image;
}

void write_png(const fs::path& path, const Image& image) {
  fs::create_directories(path.parent_path());
  std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(SPNG_CTX_ENCODER),
                                                          spng_ctx_free);
  ASSERT_EQ(spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1), 0);
  spng_ihdr ihdr{image.width, image.height, 8, image.color_type, 0, 0, 0};
  ASSERT_EQ(spng_set_ihdr(ctx.get(), &ihdr), 0);
  ASSERT_EQ(spng_encode_image(ctx.get(), image.interleaved.data(), image.interleaved.size(),
                              SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE),
            0);
  std::size_t size = 0;
  int error = 0;
  std::unique_ptr<void, decltype(&std::free)> png(spng_get_png_buffer(ctx.get(), &size, &error),
                                                  std::free);
  ASSERT_EQ(error, 0);
  testing::write_bytes(path, {static_cast<const std::uint8_t*>(png.get()), size});
}

std::vector<std::uint8_t> concat(const std::vector<std::vector<std::uint8_t>>& parts) {
  std::vector<std::uint8_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

class ImportPngDir : public ::testing::Test {
 protected:
  ImportRequest request() {
    ImportRequest r;
    r.format = "png-dir";
    r.input = input;
    r.out = out;
    return r;
  }

  testing::TempDir dir;
  fs::path input = dir / "images";
  fs::path out = dir / "pool.h5";
};

TEST_F(ImportPngDir, ClassFoldersBecomeLabelsInSortedOrder) {
  const Image b = make_image(3, 2, SPNG_COLOR_TYPE_GRAYSCALE, 1);
  const Image a = make_image(3, 2, SPNG_COLOR_TYPE_GRAYSCALE, 2);
  const Image c = make_image(3, 2, SPNG_COLOR_TYPE_GRAYSCALE, 3);
  write_png(input / "dog" / "c.png", c);
  write_png(input / "cat" / "b.png", b);
  write_png(input / "cat" / "a.PNG", a);
  // Not items: other files, hidden files and hidden folders.
  std::ofstream(input / "dog" / "notes.txt") << "not an image";
  write_png(input / "cat" / ".thumb.png", make_image(9, 9, SPNG_COLOR_TYPE_TRUECOLOR, 4));
  write_png(input / ".ipynb_checkpoints" / "x.png", make_image(9, 9, SPNG_COLOR_TYPE_GRAYSCALE, 5));
  ImportRequest r = request();
  r.first_id = 10;
  import_pool(r);
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.count, 3u);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(pool.meta.classes, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(pool.meta.source, "png-dir " + input.string());
  EXPECT_EQ(pool.labels, (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(pool.ids, testing::consecutive_ids(10, 3));
  EXPECT_EQ(pool.pixels, concat({a.planar(1), b.planar(1), c.planar(1)}));
}

TEST_F(ImportPngDir, LooseColourFilesMakeAnUnlabelledPlanarRgbPool) {
  const Image rgb = make_image(4, 2, SPNG_COLOR_TYPE_TRUECOLOR, 1);
  const Image rgba = make_image(4, 2, SPNG_COLOR_TYPE_TRUECOLOR_ALPHA, 2);
  write_png(input / "1.png", rgb);
  write_png(input / "2.png", rgba);
  import_png_dir(request());
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{3, 2, 4}));
  EXPECT_FALSE(pool.meta.has_labels);
  EXPECT_TRUE(pool.meta.classes.empty());
  EXPECT_EQ(pool.pixels, concat({rgb.planar(3), rgba.planar(3)}));
}

TEST_F(ImportPngDir, GrayWithAlphaKeepsOneChannel) {
  const Image image = make_image(2, 3, SPNG_COLOR_TYPE_GRAYSCALE_ALPHA, 1);
  write_png(input / "ga.png", image);
  write_png(input / "g.png", make_image(2, 3, SPNG_COLOR_TYPE_GRAYSCALE, 2));
  import_png_dir(request());
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.shape.dims, (std::vector<std::uint64_t>{1, 3, 2}));
  EXPECT_EQ(pool.pixels,
            concat({make_image(2, 3, SPNG_COLOR_TYPE_GRAYSCALE, 2).planar(1), image.planar(1)}));
}

TEST_F(ImportPngDir, ManyFilesDecodedInParallelKeepTheirOrder) {
  std::vector<std::vector<std::uint8_t>> expected;
  for (int i = 0; i < 300; ++i) {
    const Image image = make_image(8, 8, SPNG_COLOR_TYPE_TRUECOLOR, i);
    write_png(input / (i % 2 ? "odd" : "even") / fmt::format("{:04}.png", i), image);
    expected.push_back(image.planar(3));
  }
  // Pool order: class "even" (0, 2, ...) before class "odd" (1, 3, ...).
  std::vector<std::vector<std::uint8_t>> ordered;
  for (int i = 0; i < 300; i += 2) ordered.push_back(expected[std::size_t(i)]);
  for (int i = 1; i < 300; i += 2) ordered.push_back(expected[std::size_t(i)]);
  import_png_dir(request());
  const auto pool = read_pool(out);
  EXPECT_EQ(pool.meta.count, 300u);
  EXPECT_EQ(pool.pixels, concat(ordered));
  EXPECT_EQ(pool.labels[149], 0);
  EXPECT_EQ(pool.labels[150], 1);
}

TEST_F(ImportPngDir, ImageOfAnotherSizeOrChannelCountIsRefused) {
  write_png(input / "a.png", make_image(28, 28, SPNG_COLOR_TYPE_GRAYSCALE, 1));
  write_png(input / "b.png", make_image(32, 32, SPNG_COLOR_TYPE_TRUECOLOR, 2));
  expect_refused([&] { import_png_dir(request()); }, out,
                 {(input / "b.png").string(), "is 32x32 RGB, the first image was 28x28 gray"});
}

TEST_F(ImportPngDir, EarliestBadFileIsReportedWhateverTheThreadTiming) {
  for (int i = 0; i < 64; ++i)
    write_png(input / fmt::format("{:02}.png", i),
              make_image(i == 20 || i == 40 ? 5 : 4, 4, SPNG_COLOR_TYPE_GRAYSCALE, i));
  expect_refused([&] { import_png_dir(request()); }, out, {(input / "20.png").string()});
}

TEST_F(ImportPngDir, FileThatIsNotAPngIsRefused) {
  write_png(input / "a.png", make_image(2, 2, SPNG_COLOR_TYPE_GRAYSCALE, 1));
  std::ofstream(input / "b.png") << "GIF89a, honestly";
  expect_refused([&] { import_png_dir(request()); }, out,
                 {(input / "b.png").string(), "is not a valid PNG"});
}

TEST_F(ImportPngDir, TruncatedPngIsRefused) {
  // The header survives, so the shape matches and the damage shows only when decoding.
  write_png(input / "a.png", make_image(16, 16, SPNG_COLOR_TYPE_TRUECOLOR, 1));
  write_png(input / "b.png", make_image(16, 16, SPNG_COLOR_TYPE_TRUECOLOR, 2));
  fs::resize_file(input / "b.png", fs::file_size(input / "b.png") / 2);
  expect_refused([&] { import_png_dir(request()); }, out,
                 {(input / "b.png").string(), "is not a valid PNG"});
}

TEST_F(ImportPngDir, FolderWithoutPngsIsRefused) {
  fs::create_directories(input / "empty-class");
  std::ofstream(input / "empty-class" / "readme.txt") << "nothing here";
  expect_refused([&] { import_png_dir(request()); }, out, {input.string(), "no PNG files"});
  fs::remove_all(input);
  fs::create_directories(input);
  expect_refused([&] { import_png_dir(request()); }, out, {input.string(), "no PNG files"});
}

TEST_F(ImportPngDir, LooseFilesBesideClassFoldersAreRefused) {
  write_png(input / "cat" / "a.png", make_image(2, 2, SPNG_COLOR_TYPE_GRAYSCALE, 1));
  write_png(input / "stray.png", make_image(2, 2, SPNG_COLOR_TYPE_GRAYSCALE, 2));
  expect_refused([&] { import_png_dir(request()); }, out,
                 {input.string(), "both class sub-folders and 1 PNG files", "stray.png"});
}

TEST_F(ImportPngDir, MissingFolderIsRefused) {
  expect_refused([&] { import_png_dir(request()); }, out, {input.string(), "does not exist"});
}

}  // namespace
}  // namespace quarry::pool
