#include "files/scores/assemble.hpp"

#include <span>

#include "comm/shard.hpp"
#include "core/error.hpp"
#include "h5/file.hpp"

namespace quarry::score {

namespace {

// Where each unit's detections start in /detections (units in row order), plus the total.
std::vector<std::uint64_t> detection_bases(const Checkpoint& checkpoint, std::uint64_t units) {
  std::vector<std::uint64_t> bases{0};
  for (std::uint64_t unit = 0; unit < units; ++unit)
    bases.push_back(bases.back() + checkpoint.detections_in(unit));
  return bases;
}

// One unit's rows of /detections: its offsets made global by `base`, the last unit's closing
// offset, and its detections.
void write_detections(const h5::File& file, const ScoresMeta& meta, const UnitResult& result,
                      std::uint64_t base) {
  const auto& d = result.detections;
  std::vector<std::uint64_t> offsets(d.offsets.begin(), d.offsets.end());
  for (auto& offset : offsets) offset += base;
  // Each unit writes its rows' offsets; the last one also the closing offset N.
  if (result.first_row + result.count != meta.count) offsets.pop_back();
  file.open_dataset(kDetectionOffsets)
      .write_rows<std::uint64_t>(result.first_row, offsets.size(), offsets);
  const std::uint64_t m = d.total();
  if (m == 0) return;
  file.open_dataset(kDetectionBoxes).write_rows<float>(base, m, d.boxes);
  file.open_dataset(kDetectionLabels).write_rows<std::int32_t>(base, m, d.labels);
  file.open_dataset(kDetectionConfidence).write_rows<Float16>(base, m, d.confidence);
  if (meta.detection_probs)
    file.open_dataset(kDetectionProbs).write_rows<Float16>(base, m, d.probs);
  if (meta.keypoints > 0)
    file.open_dataset(kDetectionKeypoints).write_rows<float>(base, m, d.keypoints_xyc);
}

// Writes this rank's share of the units; its dataset handles close before the file does.
void write_units(const comm::Communicator& world, h5::File& file, const ScoresMeta& meta,
                 const Checkpoint& checkpoint, std::uint64_t rows_per_unit,
                 const std::vector<std::uint64_t>& detection_bases) {
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
        result.scores.size() != scores.size() ||
        result.detections.present != meta.has_detections() ||
        (result.detections.present && (result.detections.keypoints != meta.keypoints ||
                                       result.detections.has_probs != meta.detection_probs ||
                                       result.detections.offsets.size() != result.count + 1)))
      throw Error("checkpoint unit " + std::to_string(unit) + " in " +
                  checkpoint.folder().string() + " does not match this run's layout");
    ids.write_rows<std::uint64_t>(rows.begin, rows.size(), result.ids);
    pred.write_rows<std::int32_t>(rows.begin, rows.size(), result.pred);
    probs.write_rows<Float16>(rows.begin, rows.size(), result.probs);
    embeddings.write_rows<Float16>(rows.begin, rows.size(), result.embeddings);
    for (std::size_t i = 0; i < scores.size(); ++i)
      scores[i].write_rows<float>(rows.begin, rows.size(), result.scores[i]);
    if (meta.has_detections()) write_detections(file, meta, result, detection_bases[unit]);
  }
}

}  // namespace

void assemble_scores(const comm::Communicator& world, const std::filesystem::path& path,
                     const ScoresMeta& scored, const Checkpoint& checkpoint,
                     std::uint64_t rows_per_unit, std::uint64_t chunk_rows) {
  ScoresMeta meta = scored;
  std::vector<std::uint64_t> bases;
  if (meta.has_detections()) {
    // Every rank reads every unit's header (a few per million items), so all agree on M.
    bases = detection_bases(checkpoint, unit_count(meta.count, rows_per_unit));
    meta.detections = bases.back();
  }
  auto file = h5::File::create(path, h5::FileAccess::mpio(world.raw()));
  create_scores_layout(file, meta, chunk_rows);  // collective: same metadata on every rank
  write_units(world, file, meta, checkpoint, rows_per_unit, bases);
  file.close();  // collective: all ranks' data is in the file when it returns
}

}  // namespace quarry::score
