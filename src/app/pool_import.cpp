#include <boost/algorithm/string.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "pool/import.hpp"
#include "pool/summary.hpp"

namespace quarry::app {

int run_pool_import(const CommandLine& line) {
  po::options_description options("pool import");
  options.add_options()("format", po::value<std::string>(), "fashion-mnist | idx | png-dir | npy")(
      "input", po::value<std::string>(),
      "fashion-mnist/png-dir: a folder; idx/npy: the items file")(
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
  request.overwrite = values->count("force") ? Overwrite::replace : Overwrite::refuse;
  pool::import_pool(request);
  std::cout << pool::format_summary(pool::summarize_pool(request.out));
  return 0;
}

}  // namespace quarry::app
