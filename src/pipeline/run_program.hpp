#pragma once
// Runs an external program (sbatch, squeue, sacct) and captures what it printed.
#include <optional>
#include <string>
#include <vector>

namespace quarry::pipeline {

struct ProgramResult {
  int exit_code = 0;
  std::string out, err;
};

// The program's full path when it is on PATH.
std::optional<std::string> find_program(const std::string& name);

// Runs argv[0] (searched on PATH) with no shell in between; Error if it cannot be started.
ProgramResult run_program(const std::vector<std::string>& argv);

// argv as a shell command line, quoting what needs it ('...').
std::string shell_quote(const std::string& word);
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace quarry::pipeline
