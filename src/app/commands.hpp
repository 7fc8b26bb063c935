#pragma once
// The subcommand table: each command lives in its own file and only parses options and calls
// the library.
#include <string>
#include <vector>

#include "app/options.hpp"

namespace quarry::app {

using Runner = int (*)(const CommandLine&);

struct Command {
  std::string name;     // "pool import"
  std::string summary;  // one line for `quarry --help`
  bool collective;      // runs on every rank of an MPI job (needs MPI up)
  Runner run;           // null in quarry for the commands that run a model: quarry-torch has them
};

// Every command, in `quarry --help` order (commands.cpp, compiled once per binary).
const std::vector<Command>& commands();

int run_pool_import(const CommandLine& line);
int run_pool_synth(const CommandLine& line);
int run_pool_info(const CommandLine& line);
int run_pool_check(const CommandLine& line);
int run_model_init(const CommandLine& line);
int run_export(const CommandLine& line);
int run_select(const CommandLine& line);
int run_ingest(const CommandLine& line);
int run_score(const CommandLine& line);
int run_init(const CommandLine& line);
int run_cycle(const CommandLine& line);
int run_submit(const CommandLine& line);
int run_status(const CommandLine& line);
int run_train(const CommandLine& line);
int run_eval(const CommandLine& line);
// `quarry eval --coco-truth ... --coco-results ...` evaluates COCO files and runs no model: the
// dispatcher runs it in either binary, serially, in place of the model evaluation (eval_coco.cpp).
bool evaluates_coco_files(const CommandLine& line);
int run_eval_coco(const CommandLine& line);
int run_simulate(const CommandLine& line);
int run_report(const CommandLine& line);

}  // namespace quarry::app
