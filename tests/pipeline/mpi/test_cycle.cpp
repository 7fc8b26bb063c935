// A whole workspace at this binary's rank count: init with a random seed round, answers for the
// seed batch in the inbox, one cycle (ingest, train on the answers, score, select, export), and
// a second call of a finished stage that changes nothing.
#include <gtest/gtest.h>
#include <mpi.h>

#include <fstream>

#include "comm/communicator.hpp"
#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "files/pool/schema.hpp"
#include "files/selection/selection_file.hpp"
#include "h5/file.hpp"
#include "pipeline/cycle.hpp"
#include "pipeline/init.hpp"
#include "pool/synth.hpp"
#include "support/shared_dir.hpp"

namespace quarry::pipeline {
namespace {

namespace fs = std::filesystem;

// Every answer right: the seed batch's true labels from the pool, as `id,annotator,label`.
void answer_batch(const fs::path& selection, const fs::path& pool_path, const fs::path& out) {
  const auto picked = select::read_selection(selection);
  const auto pool = pool::PoolFile::open(pool_path);
  std::vector<std::uint64_t> ids(pool.meta().count);
  std::vector<std::int32_t> labels(pool.meta().count);
  pool.ids().read_rows<std::uint64_t>(0, ids.size(), ids);
  pool.labels()->read_rows<std::int32_t>(0, labels.size(), labels);
  std::ofstream csv(out);
  csv << "id,annotator,label\n";
  for (auto id : picked.ids) {
    const auto row = std::size_t(std::find(ids.begin(), ids.end(), id) - ids.begin());
    csv << id << ",ann," << labels[row] << "\n";
  }
}

TEST(PipelineCycle, SeedRoundThenOneRoundWithTraining) {
  comm::Communicator world(MPI_COMM_WORLD);
  testing::SharedDir dir(MPI_COMM_WORLD);
  const auto pool = dir / "pool.h5";
  if (world.is_root()) {
    pool::SynthSpec spec;
    spec.count = 3000;
    spec.shape = pool::parse_image_shape("1x28x28");
    spec.classes = 3;
    spec.seed = 5;
    pool::write_synth_pool(spec, pool, Overwrite::refuse);
  }
  world.barrier();

  InitOptions init;
  init.workspace = dir / "ws";
  init.pool = pool;
  init.seed_labels = 12;
  init.values = {
      {"k", "10"}, {"train.epochs", "1"}, {"score.unit-chunks", "1"}, {"formats", "csv"}};
  init_workspace(world, init);
  const auto workspace = Workspace::open(dir / "ws");
  const auto seed = workspace.round_dir(0);
  for (Stage stage : all_stages()) EXPECT_TRUE(stage_done(seed, stage)) << stage_name(stage);
  EXPECT_TRUE(round_complete(seed));
  EXPECT_EQ(select::read_selection(seed / "selection.h5").ids.size(), 12u);
  EXPECT_EQ(select::read_selection(seed / "selection.h5").strategy, "random");
  EXPECT_TRUE(fs::exists(seed / "export" / "csv" / "items.csv"));

  if (world.is_root()) answer_batch(seed / "selection.h5", pool, workspace.inbox() / "seed.csv");
  world.barrier();
  const auto result = run_cycle(world, {dir / "ws", std::nullopt, std::nullopt});
  EXPECT_EQ(result.round, 1);
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(result.ran.size(), all_stages().size());
  const auto round = workspace.round_dir(1);
  EXPECT_TRUE(round_complete(round));
  EXPECT_EQ(ingest::read_ledger(workspace.ledger()).size(), 12u);
  EXPECT_TRUE(fs::exists(round / "ingested" / "seed.csv"));
  EXPECT_FALSE(fs::exists(workspace.inbox() / "seed.csv"));
  const auto model = read_complete_manifest(round / "model.pt");
  EXPECT_EQ(model.value("ranks", 0), world.size());
  EXPECT_EQ(read_complete_manifest(round / "scores.h5").value("ranks", 0), world.size());
  // Items sent out in the seed round are pending: never selected again.
  const auto batch = select::read_selection(round / "selection.h5").ids;
  EXPECT_EQ(batch.size(), 10u);
  for (auto id : select::read_selection(seed / "selection.h5").ids)
    EXPECT_EQ(std::count(batch.begin(), batch.end(), id), 0) << id;

  // A finished stage is not redone: the selection file stays the same file.
  world.barrier();
  const auto before = fs::last_write_time(round / "selection.h5");
  const auto again = run_cycle(world, {dir / "ws", Stage::select, 1});
  EXPECT_TRUE(again.ran.empty());
  EXPECT_EQ(again.skipped.size(), 1u);
  EXPECT_EQ(fs::last_write_time(round / "selection.h5"), before);
  world.barrier();
}

}  // namespace
}  // namespace quarry::pipeline
