#pragma once
// The commands that run a model (score, train, eval, model init, and the in-process round
// runners cycle, init and simulate) live in a second binary, quarry-torch, beside quarry: only
// they load LibTorch (about half a second), so every other command starts in milliseconds and
// builds where LibTorch is missing (-DQUARRY_WITH_TORCH=OFF).
#include <filesystem>
#include <string>

namespace quarry::app {

// quarry-torch in the folder of the running binary (empty if that folder cannot be read).
std::filesystem::path torch_binary();

// Replaces this process with quarry-torch running the same command line; returns only on
// failure, with the exit code (2 where this build has no quarry-torch).
int run_in_torch_binary(const std::string& command, char** argv);

}  // namespace quarry::app
