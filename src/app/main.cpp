// quarry: pick the next images worth labeling. Dispatches to one subcommand and maps errors to
// the exit codes of the contract: 0 done, 1 failed, 2 usage or bad input, 99 interrupted.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/torch_binary.hpp"
#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "h5/error.hpp"

namespace {

using quarry::app::Command;
using quarry::app::CommandLine;

void print_usage(std::ostream& out) {
  out << "usage: quarry <command> [options]   (quarry <command> --help for its options)\n\n";
  for (const Command& command : quarry::app::commands())
    out << "  " << command.name << std::string(14 - std::min<size_t>(13, command.name.size()), ' ')
        << command.summary << (command.collective ? " [MPI]" : "") << "\n";
  out << "\nexit codes: 0 done, 1 failed, 2 usage or bad input, 99 interrupted after a "
         "checkpoint\n";
}

// The longest command whose words start the argument list ("pool import" before "pool").
std::optional<std::pair<const Command*, CommandLine>> find_command(int argc, char** argv) {
  const Command* best = nullptr;
  size_t best_words = 0;
  for (const Command& command : quarry::app::commands()) {
    std::string joined;
    for (int i = 1; i < argc; ++i) {
      joined += (i > 1 ? " " : "") + std::string(argv[i]);
      if (joined == command.name && size_t(i) > best_words) best = &command, best_words = size_t(i);
    }
  }
  if (!best) return std::nullopt;
  CommandLine line{best->name, {argv + 1 + best_words, argv + argc}};
  return std::make_pair(best, line);
}

// A launcher started this process as one of several ranks (without MPI being initialised).
bool is_secondary_rank_of_launch() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
    if (const char* rank = std::getenv(name)) return std::string(rank) != "0";
  return false;
}

// `--help` starts no MPI: a collective command prints its options like a serial one (starting
// the MPI library alone, as a singleton, costs about 0.4 s).
bool asks_for_help(const CommandLine& line) {
  for (const std::string& arg : line.args)
    if (arg == "--help" || arg == "-h") return true;
  return false;
}

bool starts_mpi(const Command& command, const CommandLine& line) {
  return command.collective && !asks_for_help(line);
}

quarry::Outcome run(const Command& command, const CommandLine& line) {
  return quarry::run_guarded([&] {
    if (starts_mpi(command, line))
      quarry::comm::check_world_matches_slurm(quarry::comm::Communicator(MPI_COMM_WORLD));
    return command.run(line);
  });
}

}  // namespace

int main(int argc, char** argv) {
  quarry::logging::init_from_environment();
  quarry::install_interrupt_handlers();
  quarry::h5::install_error_handling();

  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    print_usage(std::cout);
    return argc < 2 ? quarry::kExitBadInput : quarry::kExitOk;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << "quarry " << quarry::version() << "\n";
    return quarry::kExitOk;
  }
  auto found = find_command(argc, argv);
  if (!found) {
    std::cerr << "error: unknown command '" << argv[1]
              << (argc > 2 ? std::string(" ") + argv[2] : "") << "'\n\n";
    print_usage(std::cerr);
    return quarry::kExitBadInput;
  }
  const auto& [command, line] = *found;
  // COCO files are evaluated without a model: no LibTorch, no MPI, whichever binary this is.
  if (command->name == "eval" && quarry::app::evaluates_coco_files(line)) {
    if (is_secondary_rank_of_launch()) return quarry::kExitOk;
    return quarry::run_guarded([&] { return quarry::app::run_eval_coco(line); }).exit_code;
  }
  // Before MPI starts: under mpirun or srun every rank becomes a quarry-torch process.
  if (!command->run) return quarry::app::run_in_torch_binary(command->name, argv);
  if (!starts_mpi(*command, line)) {
    // A serial command started under mpirun/srun runs once, on rank 0; the others have nothing
    // to do and must not write the same output.
    if (is_secondary_rank_of_launch()) return quarry::kExitOk;
    return run(*command, line).exit_code;
  }
  // Starting MPI can fail too (an MPI without thread support): reported like any other error.
  std::optional<quarry::comm::Session> session;
  const quarry::Outcome started = quarry::run_guarded([&] {
    session.emplace(&argc, &argv);
    return quarry::kExitOk;
  });
  if (!session) return started.exit_code;
  return quarry::comm::finish_collective(session->world(), run(*command, line));
}
