// Makes export inputs from the command line, for the CLI tests and tools/bench/export:
//   quarry_export_fixture make FOLDER ITEMS CxHxW CLASSES K     pool.h5, scores.h5, selection.h5
//   quarry_export_fixture scores POOL OUT ID_SHIFT              scores whose ids are shifted
//   quarry_export_fixture selection OUT ID[,ID...]              a selection of these ids
//   quarry_export_fixture detections POOL OUT [classifier]      detections of a pool's objects
#include <cstdio>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "files/selection/selection_file.hpp"
#include "h5/error.hpp"
#include "support/fixture.hpp"

int main(int argc, char** argv) {
  using namespace quarry;
  h5::install_error_handling();
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "make" && argc == 7) {
      testing::FixtureSpec spec;
      spec.items = std::stoull(argv[3]);
      spec.shape = argv[4];
      spec.classes = std::stoi(argv[5]);
      spec.k = std::stoull(argv[6]);
      testing::make_export_fixture(argv[2], spec);
      return 0;
    }
    if (mode == "scores" && argc == 5) {
      testing::write_fixture_scores(argv[2], argv[3], std::stoull(argv[4]));
      return 0;
    }
    if (mode == "detections" && (argc == 4 || argc == 5)) {
      testing::write_detection_scores(argv[2], argv[3], argc == 5);
      return 0;
    }
    if (mode == "selection" && argc == 4) {
      select::Selection selection;
      std::stringstream ids(argv[3]);
      for (std::string id; std::getline(ids, id, ',');) {
        selection.ids.push_back(std::stoull(id));
        selection.score.push_back(1.0f);
        selection.reason.push_back(0.0f);
      }
      selection.strategy = "margin";
      select::write_selection(argv[2], selection);
      return 0;
    }
  } catch (const Error& error) {
    std::fprintf(stderr, "%s\n", describe(error).c_str());
    return error.exit_code();
  }
  std::fprintf(stderr,
               "usage: %s make FOLDER ITEMS CxHxW CLASSES K | scores POOL OUT ID_SHIFT | "
               "selection OUT ID[,ID...] | detections POOL OUT [classifier]\n",
               argv[0]);
  return 2;
}
