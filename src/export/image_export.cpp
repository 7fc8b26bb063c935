#include "export/image_export.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress_bar.hpp"
#include "files/png/png_codec.hpp"
#include "files/pool/row_runs.hpp"
#include "files/pool/schema.hpp"

namespace quarry::exporting {

namespace {

// Blocks of whole runs, each small enough to double-buffer (a few MiB) and large enough that
// the encoding threads stay busy while the next block is read.
constexpr std::uint64_t kBlockBytes = 8u << 20;

struct Block {
  std::size_t first_run = 0, runs = 0;
  std::size_t first = 0, count = 0;  // positions in the row-sorted task list
};

std::vector<Block> group_runs(const std::vector<pool::RowRun>& runs, std::uint64_t item_bytes) {
  std::vector<Block> blocks;
  std::uint64_t bytes = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (blocks.empty() || bytes + runs[r].rows * item_bytes > kBlockBytes) {
      blocks.push_back({r, 0, runs[r].first, 0});
      bytes = 0;
    }
    blocks.back().runs += 1;
    blocks.back().count += runs[r].count;
    bytes += runs[r].rows * item_bytes;
  }
  return blocks;
}

}  // namespace

void export_images(const std::filesystem::path& pool_path, const ExportBatch& batch,
                   OutputFolder& out) {
  const pool::PoolFile pool = pool::PoolFile::open(pool_path);
  const std::uint64_t item_bytes = pool.meta().shape.bytes();

  // Tasks that show an original file are written by export_originals.
  std::vector<std::size_t> by_row;
  for (std::size_t t = 0; t < batch.tasks.size(); ++t)
    if (batch.tasks[t].original.empty()) by_row.push_back(t);
  if (by_row.empty()) return;
  std::sort(by_row.begin(), by_row.end(), [&](std::size_t a, std::size_t b) {
    return batch.tasks[a].pool_row < batch.tasks[b].pool_row;
  });
  std::vector<std::uint64_t> rows(by_row.size());
  for (std::size_t i = 0; i < by_row.size(); ++i) rows[i] = batch.tasks[by_row[i]].pool_row;

  const std::vector<pool::RowRun> runs =
      pool::plan_row_runs(rows, pool.meta().chunk_rows, item_bytes);
  const std::vector<Block> blocks = group_runs(runs, item_bytes);

  ProgressBar progress("export images", by_row.size());
  std::vector<std::uint8_t> buffers[2];
  tbb::task_group encoding;
  std::uint64_t done = 0;
  const CheckpointedSection checkpointed;  // the loop below stops between blocks on a signal
  try {
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      // SIGTERM/SIGUSR1: stop between blocks; the unpublished folder is removed on the way out.
      if (interrupt_requested())
        throw Interrupted("export interrupted: nothing was published", "run the export again");
      const Block& block = blocks[b];
      std::vector<std::uint8_t>& pixels = buffers[b % 2];
      pixels.resize(block.count * item_bytes);
      // The buffer of block b-2 is free: block b-2 finished before block b-1 started.
      const std::span<const pool::RowRun> block_runs(runs.data() + block.first_run, block.runs);
      const std::span<const std::uint64_t> block_rows(rows.data() + block.first, block.count);
      std::vector<pool::RowRun> local(block_runs.begin(), block_runs.end());
      for (pool::RowRun& run : local) run.first -= block.first;
      pool::read_row_runs<std::uint8_t>(pool.items(), block_rows, local, pixels);

      encoding.wait();  // block b-1, whose progress we report now
      if (b > 0) progress.update(done += blocks[b - 1].count);
      encoding.run([&, block, data = pixels.data()] {
        tbb::parallel_for(std::size_t{0}, block.count, [&](std::size_t i) {
          const ExportTask& task = batch.tasks[by_row[block.first + i]];
          const auto encoded = png::encode({data + i * item_bytes, item_bytes}, batch.image);
          out.write(task.file, encoded);
        });
      });
    }
    encoding.wait();
  } catch (...) {
    encoding.wait();  // never leave a task writing into a buffer that is being destroyed
    throw;
  }
  progress.finish(by_row.size());
}

}  // namespace quarry::exporting
