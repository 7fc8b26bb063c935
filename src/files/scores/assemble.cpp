#include "files/scores/assemble.hpp"

#include <span>

#include "comm/shard.hpp"
#include "core/error.hpp"
#include "h5/file.hpp"

namespace quarry::score {

namespace {

// Writes this rank's share of the units; its dataset handles close before the file does.
void write_units(const comm::Communicator& world, h5::File& file, const ScoresMeta& meta,
                 const Checkpoint& checkpoint, std::uint64_t rows_per_unit) {
  auto ids = file.open_dataset(kIds);
  auto pred = file.open_dataset(kPred);
  auto probs = file.open_dataset(kProbs);
  auto embeddings = file.open_dataset(kEmbeddings);
  std::vector<h5::Dataset> scores;
  for (const auto& name : meta.acquisitions)
    scores.push_back(file.open_dataset(score_dataset(name)));

  const auto units = unit_count(meta.count, rows_per_unit);
  const auto mine = comm::shard_range(units, world.size(), world.rank());
  for (auto unit = mine.begin; unit < mine.end; ++unit) {
    const auto result = checkpoint.load(unit);
    const auto rows = unit_rows(meta.count, rows_per_unit, unit);
    if (result.first_row != rows.begin || result.count != rows.size() ||
        result.classes != meta.classes || result.embedding_dim != meta.embedding_dim ||
        result.scores.size() != scores.size())
      throw Error("checkpoint unit " + std::to_string(unit) + " in " +
                  checkpoint.folder().string() + " does not match this run's layout");
    ids.write_rows<std::uint64_t>(rows.begin, rows.size(), result.ids);
    pred.write_rows<std::int32_t>(rows.begin, rows.size(), result.pred);
    probs.write_rows<Float16>(rows.begin, rows.size(), result.probs);
    embeddings.write_rows<Float16>(rows.begin, rows.size(), result.embeddings);
    for (std::size_t i = 0; i < scores.size(); ++i)
      scores[i].write_rows<float>(rows.begin, rows.size(), result.scores[i]);
  }
}

}  // namespace

void assemble_scores(const comm::Communicator& world, const std::filesystem::path& path,
                     const ScoresMeta& meta, const Checkpoint& checkpoint,
                     std::uint64_t rows_per_unit, std::uint64_t chunk_rows) {
  auto file = h5::File::create(path, h5::FileAccess::mpio(world.raw()));
  create_scores_layout(file, meta, chunk_rows);  // collective: same metadata on every rank
  write_units(world, file, meta, checkpoint, rows_per_unit);
  file.close();  // collective: all ranks' data is in the file when it returns
}

}  // namespace quarry::score
