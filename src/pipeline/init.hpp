#pragma once
// `quarry init`: a new workspace. Writes quarry.ini (defaults, then a settings template, then
// the named options and --set assignments), the empty ledger, inbox/, rounds/ and logs/. With
// seed_labels > 0 it runs the seed round 0: a fresh model scores the pool and N items picked at
// random are exported to rounds/0000/export/ for the first labeling.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "comm/communicator.hpp"

namespace quarry::pipeline {

struct InitOptions {
  std::filesystem::path workspace;
  std::filesystem::path pool;
  std::optional<std::filesystem::path> settings;            // a settings template (configs/*.ini)
  std::vector<std::pair<std::string, std::string>> values;  // key, value (named options)
  std::vector<std::string> assignments;                     // KEY=VALUE (--set)
  std::uint64_t seed_labels = 0;
};

// Collective (the seed round scores the pool on every rank).
void init_workspace(const comm::Communicator& world, const InitOptions& options);

}  // namespace quarry::pipeline
