#include <iostream>

#include "app/commands.hpp"
#include "model/builtin.hpp"

namespace quarry::app {

int run_model_init(const CommandLine& line) {
  po::options_description options("model init");
  options.add_options()("pool", po::value<std::string>(),
                        "pool the model is for (shape, classes, normalisation)")(
      "arch", po::value<std::string>()->default_value(model::kDefaultArch),
      "small-cnn | mlp | centernet-small (pools with objects)")(
      "max-detections", po::value<std::int64_t>()->default_value(model::ModelSpec{}.max_detections),
      "centernet-small: detection slots per image (D)")(
      "seed", po::value<std::uint64_t>()->default_value(0), "random seed for the weights")(
      "out", po::value<std::string>(), "TorchScript file to write")("force",
                                                                    "replace --out if it exists");
  auto values =
      parse(line, "--pool POOL.h5 --arch small-cnn|mlp|centernet-small --out MODEL.pt [--seed S]",
            options);
  if (!values) return 0;
  const std::string out = required<std::string>(*values, "out");
  auto spec = model::spec_for_pool(required<std::string>(*values, "pool"),
                                   (*values)["arch"].as<std::string>(),
                                   (*values)["seed"].as<std::uint64_t>());
  spec.max_detections = (*values)["max-detections"].as<std::int64_t>();
  model::write_builtin_model(spec, out,
                             values->count("force") ? Overwrite::replace : Overwrite::refuse);
  std::cout << "model " << out << ": " << spec.arch << ", " << spec.classes << " classes";
  if (spec.task != "classify")
    std::cout << ", task " << spec.task << ", " << spec.keypoints << " keypoints, "
              << spec.max_detections << " detection slots";
  std::cout << ", input mean " << spec.mean << " std " << spec.std << "\n";
  return 0;
}

}  // namespace quarry::app
