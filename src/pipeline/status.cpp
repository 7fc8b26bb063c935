#include "pipeline/status.hpp"

#include <fmt/format.h>

#include "files/ledger/ledger.hpp"
#include "files/manifest/manifest.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/job_records.hpp"
#include "pipeline/round.hpp"
#include "pipeline/workspace_lock.hpp"
#include "stopping/stop_record.hpp"

namespace quarry::pipeline {

namespace fs = std::filesystem;

namespace {

std::string stage_detail(const fs::path& round_dir, Stage stage, const nlohmann::json& manifest,
                         const nlohmann::json& round_stage) {
  if (manifest.is_null()) {
    const auto output = stage_output(round_dir, stage);
    if (fs::exists(output.string() + ".partial")) return "partial (resumes)";
    return "";
  }
  std::string detail;
  if (round_stage.contains("seconds"))
    detail = fmt::format("{:.1f} s", round_stage["seconds"].get<double>());
  if (manifest.contains("ranks"))
    detail += fmt::format("{}{} rank(s)", detail.empty() ? "" : ", ", manifest["ranks"].dump());
  const auto& settings = manifest.value("settings", nlohmann::json::object());
  if (stage == Stage::train && settings.contains("eval"))
    detail += fmt::format("{}eval {}", detail.empty() ? "" : ", ", eval_line(settings["eval"]));
  return detail;
}

double stat(const nlohmann::json& result, const char* name) {
  return result.at("stats").at(name).get<double>();
}

}  // namespace

std::string eval_line(const nlohmann::json& eval) {
  const auto items = eval.value("items", std::uint64_t(0));
  if (!eval.contains("bbox"))
    return fmt::format("accuracy {:.4f} on {} items", eval.value("accuracy", 0.0), items);
  std::string line =
      fmt::format("AP@.5 {:.3f}, AP {:.3f}", stat(eval["bbox"], "AP50"), stat(eval["bbox"], "AP"));
  if (eval.contains("keypoints") && eval["keypoints"].is_object())
    line += fmt::format(", OKS-AP {:.3f}", stat(eval["keypoints"], "AP"));
  return line + fmt::format(" on {} items", items);
}

std::optional<std::string> stopping_line(const Workspace& workspace) {
  std::vector<fs::path> dirs;
  for (int round : workspace.round_numbers()) dirs.push_back(workspace.round_dir(round));
  const auto tracked = stopping::workspace_stopping(dirs);
  if (!tracked) return std::nullopt;
  return stopping::describe_stopping(tracked->first, tracked->second);
}

std::string workspace_status(const fs::path& path) {
  const auto workspace = Workspace::open(path);
  const auto config = workspace.config();
  const auto ledger = ingest::read_ledger(workspace.ledger());
  std::size_t inbox = 0;
  for (const auto& [format, files] : inbox_files(workspace.inbox())) inbox += files.size();
  std::string out = fmt::format(
      "workspace {}\n  pool {}\n  k {}, strategy {}; {} labels on the ledger, {} waiting for "
      "adjudication; {} file(s) in the inbox\n",
      workspace.root().string(), config.text("pool"), config.text("k"), config.text("strategy"),
      ledger.size(), ledger.adjudicate.size(), inbox);

  if (const auto holder = workspace_lock_holder(workspace.lock_file()))
    out += fmt::format("  busy: {}\n", *holder);
  const auto rounds = workspace.round_numbers();
  if (rounds.empty()) return out + "no rounds yet: run quarry cycle or quarry submit\n";
  out += fmt::format("\n{:<6} {:<7} {:<10} {:<10} {:<12} {}\n", "round", "stage", "state", "job",
                     "job state", "detail");
  for (int round : rounds) {
    const auto dir = workspace.round_dir(round);
    const auto records = read_job_records(dir);
    std::vector<std::string> ids;
    for (const auto& record : records) ids.push_back(record.job_id);
    const auto states = query_job_states(ids);
    const auto summary = summarise_round(workspace, round);
    for (Stage stage : all_stages()) {
      const auto manifest = read_complete_manifest(stage_output(dir, stage));
      std::string job = "-", job_state = "-";
      for (const auto& record : records)
        if (record.stage == stage_name(stage)) {
          job = record.job_id;
          const auto found = states.find(job);
          job_state = found != states.end() ? found->second : "unknown";
        }
      out +=
          fmt::format("{:<6} {:<7} {:<10} {:<10} {:<12} {}\n", round_name(round), stage_name(stage),
                      manifest.is_null() ? "not done" : "done", job, job_state,
                      stage_detail(dir, stage, manifest, summary["stages"][stage_name(stage)]));
    }
  }
  if (const auto stopping = stopping_line(workspace)) out += "\n" + *stopping + "\n";
  const int current = current_round(workspace);
  out +=
      fmt::format("\nnext: round {} ({})\n", round_name(current),
                  fs::exists(workspace.round_dir(current)) ? "resumes at its first unfinished stage"
                                                           : "not started");
  return out;
}

}  // namespace quarry::pipeline
