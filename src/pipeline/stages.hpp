#pragma once
// The five stages of a round, each calling its stage library in-process. Collective: every rank
// calls every stage; serial stages (ingest, export) run on rank 0 and every rank raises the same
// error if they fail. A stage refuses (InputError, exit 2) to start on an input whose manifest
// is not complete, and publishes its output followed by the output's manifest.
#include "comm/communicator.hpp"
#include "pipeline/round.hpp"
#include "pipeline/round_context.hpp"

namespace quarry::pipeline {

void run_stage(const comm::Communicator& world, const RoundContext& context, Stage stage);

void ingest_stage(const RoundContext& context);  // rank 0
void train_stage(const comm::Communicator& world, const RoundContext& context);
void score_stage(const comm::Communicator& world, const RoundContext& context);
void select_stage(const comm::Communicator& world, const RoundContext& context);
void export_stage(const RoundContext& context);  // rank 0

// An output left without a complete manifest (a crash between publish and manifest) is removed
// so the stage can write it again. Rank 0.
void remove_unfinished_output(const std::filesystem::path& output);

}  // namespace quarry::pipeline
