#pragma once
// The five stages of a round, each calling its stage library in-process. Collective: every rank
// calls every stage; serial stages (ingest, export) run on rank 0 and every rank raises the same
// error if they fail. A stage refuses (InputError, exit 2) to start on an input whose manifest
// is not complete, and publishes its output followed by the output's manifest.
#include "comm/communicator.hpp"
#include "pipeline/round.hpp"
#include "pipeline/round_context.hpp"
#include "pipeline/round_options.hpp"

namespace quarry::pipeline {

// The round's settings: quarry.ini's, except that the seed round picks `seed_labels` items by
// seed-strategy, random or typiclust (there is nothing to be uncertain about yet).
RoundSettings round_settings(const RoundContext& context);

// The round's outputs in rounds/NNNN/ and the workspace's ledger; the stages that need them add
// the model training starts from, the earlier selections and the gold lists.
RoundPaths round_paths(const RoundContext& context);

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
