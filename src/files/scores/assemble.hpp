#pragma once
// The last step of `quarry score`: every rank writes a share of the committed work units into
// the scores file with MPI-IO. Torch-free.
#include <filesystem>

#include "comm/communicator.hpp"
#include "files/scores/checkpoint.hpp"
#include "files/scores/scores_file.hpp"

namespace quarry::score {

// Collective. Creates `path` (normally an AtomicOutput temporary, the same path on every rank)
// with the contract's layout for `meta` and fills it from the unit files of `checkpoint`
// (the detections' total M comes from the units).
void assemble_scores(const comm::Communicator& world, const std::filesystem::path& path,
                     const ScoresMeta& meta, const Checkpoint& checkpoint,
                     std::uint64_t rows_per_unit, std::uint64_t chunk_rows);

}  // namespace quarry::score
