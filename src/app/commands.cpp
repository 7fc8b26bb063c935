#include "app/commands.hpp"

namespace quarry::app {

// The model commands' runners exist only in quarry-torch (see CMakeLists.txt).
#ifdef QUARRY_TORCH_COMMANDS
#define MODEL_COMMAND(runner) runner
#else
#define MODEL_COMMAND(runner) nullptr
#endif

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"pool import", "import Fashion-MNIST, IDX, a PNG folder, .npy or COCO into a pool file",
       false, run_pool_import},
      {"pool synth", "write a synthetic pool (classes, or heads with keypoints)", false,
       run_pool_synth},
      {"pool info", "print a pool's items, shape, chunking, classes and label counts", false,
       run_pool_info},
      {"pool check", "read every item of a pool across MPI ranks and verify it", true,
       run_pool_check},
      {"model init",
       "build a seeded TorchScript model (small-cnn, mlp or centernet-small) sized for a pool",
       false, MODEL_COMMAND(run_model_init)},
      {"export", "write the selected items for Label Studio, CVAT, COCO, Ground Truth and CSV",
       false, run_export},
      {"select", "choose k uncertain, diverse items to label, identically on any rank count", true,
       run_select},
      {"ingest", "merge annotators' answers into consensus labels and append them to the ledger",
       false, run_ingest},
      {"train", "train a model on the ledger's labels, data-parallel over MPI ranks", true,
       MODEL_COMMAND(run_train)},
      {"eval", "evaluate a model on a labeled pool across MPI ranks, or COCO files", true,
       MODEL_COMMAND(run_eval)},
      {"score", "score a pool with a TorchScript model across MPI ranks (resumable)", true,
       MODEL_COMMAND(run_score)},
      {"init", "create a workspace (settings, ledger, inbox); optionally a random seed batch", true,
       MODEL_COMMAND(run_init)},
      {"cycle", "run the workspace's next round: ingest, train, score, select, export", true,
       MODEL_COMMAND(run_cycle)},
      {"submit", "submit the workspace's next round to Slurm, one chained job per stage", false,
       run_submit},
      {"status", "show a workspace's rounds, stages, Slurm jobs and their states", false,
       run_status},
      {"report", "write a round's HTML report: scores, batch, thumbnails, agreement, curve", false,
       run_report},
      {"simulate", "learning curves per strategy with simulated annotators (saving vs random)",
       true, MODEL_COMMAND(run_simulate)},
  };
  return table;
}

}  // namespace quarry::app
