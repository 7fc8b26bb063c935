// png-dir importer: a folder of PNG files, either in one sub-folder per class (labelled) or all
// directly in the folder (unlabelled). Files are decoded in parallel, written by one thread.
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "core/error.hpp"
#include "files/png/png_codec.hpp"
#include "pool/import.hpp"
#include "pool/import_util.hpp"

namespace quarry::pool {

namespace {
namespace fs = std::filesystem;

struct PngItem {
  fs::path path;
  std::int32_t label = kUnknownLabel;
};

struct PngListing {
  std::vector<PngItem> items;        // in pool order: classes in order, files sorted within
  std::vector<std::string> classes;  // sub-folder names; empty for an unlabelled folder
};

// Dot-files and folders (.DS_Store, .ipynb_checkpoints, ...) are tool litter, never data.
bool is_hidden(const fs::path& path) {
  return path.filename().string().starts_with('.');
}

bool is_png(const fs::directory_entry& entry) {
  std::string extension = entry.path().extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".png" && entry.is_regular_file() && !is_hidden(entry.path());
}

// The entries of `folder` accepted by `keep`, sorted by name so the pool order is stable.
template <class Keep>
std::vector<fs::path> sorted_entries(const fs::path& folder, Keep keep) {
  std::vector<fs::path> paths;
  try {
    for (const fs::directory_entry& entry : fs::directory_iterator(folder))
      if (keep(entry)) paths.push_back(entry.path());
  } catch (const fs::filesystem_error& error) {
    throw InputError(folder.string(), "", "cannot be listed: " + error.code().message());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

PngListing list_png_dir(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw InputError(folder.string(), "",
                     fs::exists(folder) ? "is not a folder" : "does not exist");
  const std::vector<fs::path> top_pngs = sorted_entries(folder, is_png);
  const std::vector<fs::path> class_folders =
      sorted_entries(folder, [](const fs::directory_entry& entry) {
        return entry.is_directory() && !is_hidden(entry.path());
      });
  PngListing listing;
  if (class_folders.empty()) {
    for (const fs::path& path : top_pngs) listing.items.push_back({path, kUnknownLabel});
  } else if (!top_pngs.empty()) {
    // Mixing both layouts is ambiguous: silently dropping either part would lose items.
    throw InputError(folder.string(), "",
                     fmt::format("holds both class sub-folders and {} PNG files directly "
                                 "(such as {})",
                                 top_pngs.size(), top_pngs.front().filename().string()),
                     "move the loose PNG files into a class sub-folder, or the sub-folders away");
  }
  for (const fs::path& class_folder : class_folders) {
    const auto label = static_cast<std::int32_t>(listing.classes.size());
    listing.classes.push_back(class_folder.filename().string());
    for (const fs::path& path : sorted_entries(class_folder, is_png))
      listing.items.push_back({path, label});
  }
  if (listing.items.empty())
    throw InputError(folder.string(), "", "holds no PNG files",
                     "put PNG files into one sub-folder per class, or directly into the folder");
  return listing;
}

// Decodes items [first, first + rows) in parallel into `pixels`. Failures are collected per
// item and the earliest rethrown, so the error a user sees does not depend on thread timing.
void decode_batch(const std::vector<PngItem>& items, std::uint64_t first, std::uint64_t rows,
                  const png::PngFile& first_image, std::span<std::uint8_t> pixels) {
  const std::size_t item_bytes = pixels.size() / rows;
  std::vector<std::exception_ptr> errors(rows);
  tbb::parallel_for(std::uint64_t{0}, rows, [&](std::uint64_t row) {
    try {
      png::PngFile png(items[first + row].path);
      if (png.shape() != first_image.shape())
        throw InputError(
            png.path().string(), "",
            fmt::format("is {}, the first image was {}", png.describe(), first_image.describe()),
            "all images of a pool must have the same size and channel count");
      png.decode(pixels.subspan(row * item_bytes, item_bytes));
    } catch (...) {
      errors[row] = std::current_exception();
    }
  });
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
}
}  // namespace

void import_png_dir(const ImportRequest& request) {
  const PngListing listing = list_png_dir(request.input);
  const png::PngFile first_image(listing.items.front().path);
  const png::ImageShape& image = first_image.shape();
  PoolSpec spec;
  spec.count = listing.items.size();
  spec.shape = checked_item_shape(listing.items.front().path.string(), spec.count, Kind::images,
                                  {image.channels, image.height, image.width});
  spec.classes = listing.classes;
  spec.has_labels = !listing.classes.empty();
  spec.source = "png-dir " + request.input.string();
  std::vector<std::int32_t> labels;
  if (spec.has_labels)
    for (const PngItem& item : listing.items) labels.push_back(item.label);
  PoolWriter writer(request.out, request.overwrite, std::move(spec));
  append_in_batches<std::uint8_t>(
      writer, request.first_id, labels,
      [&](std::uint64_t first, std::uint64_t rows, std::span<std::uint8_t> pixels) {
        decode_batch(listing.items, first, rows, first_image, pixels);
      });
  writer.finish();
}

}  // namespace quarry::pool
