#include <boost/algorithm/string.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "files/pool/schema.hpp"
#include "pool/import.hpp"
#include "pool/summary.hpp"

namespace quarry::app {

int run_pool_import(const CommandLine& line) {
  po::options_description options("pool import");
  options.add_options()("format", po::value<std::string>(),
                        "fashion-mnist | idx | png-dir | npy | coco")(
      "input", po::value<std::string>(),
      "fashion-mnist/png-dir: a folder; idx/npy: the items file; coco: the annotations JSON")(
      "images", po::value<std::string>(), "coco: the folder of the images (PNG)")(
      "size", po::value<std::string>(), "coco: the pool's image size HxW (letterboxed into it)")(
      "channels", po::value<std::uint32_t>(),
      "coco: 1 (gray) or 3 (RGB); default: the first image's")(
      "labels", po::value<std::string>(), "idx/npy: file with one label per item")(
      "split", po::value<std::string>()->default_value("train"), "fashion-mnist: train | test")(
      "classes", po::value<std::string>(), "idx/npy: comma-separated class names")(
      "first-id", po::value<std::uint64_t>()->default_value(0), "id of the first item")(
      "out", po::value<std::string>(), "pool file to write")("force", "replace --out if it exists");
  auto values = parse(line, "--format F --input PATH --out POOL.h5 [options]", options);
  if (!values) return 0;
  pool::ImportRequest request;
  request.format = required<std::string>(*values, "format");
  request.input = required<std::string>(*values, "input");
  request.out = required<std::string>(*values, "out");
  if (values->count("labels")) request.labels = (*values)["labels"].as<std::string>();
  request.split = (*values)["split"].as<std::string>();
  if (values->count("classes"))
    boost::split(request.classes, (*values)["classes"].as<std::string>(), boost::is_any_of(","));
  request.first_id = (*values)["first-id"].as<std::uint64_t>();
  if (values->count("images")) request.images = (*values)["images"].as<std::string>();
  if (values->count("size")) {
    const std::string size = (*values)["size"].as<std::string>();
    pool::ItemShape shape;
    try {
      shape = pool::parse_image_shape("1x" + size);  // HxW is CxHxW without the channels
    } catch (const UsageError&) {
      throw UsageError("--size '" + size + "' is not HxW with positive sizes (e.g. 128x128)");
    }
    request.height = static_cast<std::uint32_t>(shape.dims[1]);
    request.width = static_cast<std::uint32_t>(shape.dims[2]);
  }
  if (values->count("channels")) {
    request.channels = (*values)["channels"].as<std::uint32_t>();
    if (request.channels != 1 && request.channels != 3)
      throw UsageError("--channels must be 1 (gray) or 3 (RGB)");
  }
  request.overwrite = values->count("force") ? Overwrite::replace : Overwrite::refuse;
  pool::import_pool(request);
  std::cout << pool::format_summary(pool::summarize_pool(request.out));
  return 0;
}

}  // namespace quarry::app
