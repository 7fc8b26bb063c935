#include <iostream>

#include "app/commands.hpp"
#include "pool/summary.hpp"
#include "pool/synth.hpp"

namespace quarry::app {

int run_pool_synth(const CommandLine& line) {
  po::options_description options("pool synth");
  options.add_options()("n", po::value<std::uint64_t>(), "number of items")(
      "shape", po::value<std::string>()->default_value("1x28x28"), "item shape CxHxW")(
      "classes", po::value<int>()->default_value(10), "number of classes (classify)")(
      "task", po::value<std::string>()->default_value("classify"),
      "classify | detect (circles, squares, triangles) | keypoints (heads)")(
      "max-objects", po::value<int>()->default_value(4),
      "detect/keypoints: objects per image 1..N")(
      "seed", po::value<std::uint64_t>()->default_value(0), "random seed")(
      "first-id", po::value<std::uint64_t>()->default_value(0), "id of the first item")(
      "out", po::value<std::string>(), "pool file to write")("force", "replace --out if it exists");
  auto values = parse(
      line, "--n N --shape CxHxW [--classes C | --task detect|keypoints] --out POOL.h5 [--seed S]",
      options);
  if (!values) return 0;
  pool::SynthSpec spec;
  spec.count = required<std::uint64_t>(*values, "n");
  spec.shape = pool::parse_image_shape((*values)["shape"].as<std::string>());
  spec.classes = (*values)["classes"].as<int>();
  spec.seed = (*values)["seed"].as<std::uint64_t>();
  spec.first_id = (*values)["first-id"].as<std::uint64_t>();
  pool::ObjectSynth objects;
  objects.task = pool::parse_task((*values)["task"].as<std::string>());
  objects.max_objects = (*values)["max-objects"].as<int>();
  const std::string out = required<std::string>(*values, "out");
  const Overwrite overwrite = values->count("force") ? Overwrite::replace : Overwrite::refuse;
  if (objects.task == pool::Task::classify)
    pool::write_synth_pool(spec, out, overwrite);
  else
    pool::write_object_pool(spec, objects, out, overwrite);
  std::cout << pool::format_summary(pool::summarize_pool(out));
  return 0;
}

}  // namespace quarry::app
