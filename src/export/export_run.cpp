#include "export/export_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "export/image_export.hpp"
#include "export/object_writers.hpp"
#include "export/original_images.hpp"
#include "export/output_folder.hpp"
#include "export/readme.hpp"
#include "export/writers.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry::exporting {

namespace fs = std::filesystem;

namespace {

// An empty folder (made by the user or a workspace layout) holds nothing to lose; anything else
// already there is only replaced with --force.
Overwrite overwrite_mode(const fs::path& out, bool force) {
  if (force || !fs::exists(out)) return force ? Overwrite::replace : Overwrite::refuse;
  if (fs::is_directory(out) && fs::is_empty(out)) return Overwrite::replace;
  throw UsageError(fmt::format("output {} already exists and is not empty", out.string()),
                   "choose another --out, or pass --force to replace it");
}

void write_format(Format format, const ExportBatch& batch, const FormatOptions& options,
                  OutputFolder& out) {
  switch (format) {
    case Format::label_studio:
      return write_label_studio(batch, options, out);
    case Format::cvat:
      return write_cvat(batch, out);
    case Format::coco:
      return write_coco(batch, out);
    case Format::sagemaker:
      return write_sagemaker(batch, options, out);
    case Format::csv:
      return write_csv(batch, out);
  }
}

ExportSummary summarize(const ExportBatch& batch) {
  ExportSummary summary;
  summary.tasks = batch.tasks.size();
  for (const ExportTask& task : batch.tasks) {
    summary.selected += task.origin == Origin::selected;
    summary.adjudication += task.origin == Origin::adjudication;
    summary.gold += task.origin == Origin::gold;
  }
  return summary;
}

void describe_in_manifest(Manifest& manifest, const ExportRequest& request,
                          const ExportBatch& batch, const FormatOptions& options,
                          const ExportSummary& summary) {
  std::vector<std::string> formats;
  for (const Format format : request.formats) formats.emplace_back(format_name(format));
  manifest.set_setting("formats", formats);
  manifest.set_setting("label_studio_prefix", options.label_studio_prefix);
  manifest.set_setting("sagemaker_prefix", options.sagemaker_prefix);
  manifest.set_setting("annotators", batch.annotators);
  manifest.set_setting("annotators_per_item", request.inputs.annotators_per_item);
  manifest.set_setting("gold_rate", request.inputs.gold_rate);
  manifest.set_setting("seed", request.inputs.seed);
  manifest.set_setting("model_version", batch.model_version);
  if (batch.has_objects()) {
    manifest.set_setting("prelabel_min_confidence", batch.prelabel_min_confidence);
    std::size_t objects = 0;
    for (const ExportTask& task : batch.tasks) objects += task.objects.size();
    manifest.set_setting("prelabel_objects", objects);
  }
  std::vector<std::size_t> load(batch.annotators.size(), 0);
  std::vector<std::uint64_t> gold, adjudication;
  for (const ExportTask& task : batch.tasks) {
    for (const std::uint32_t a : task.annotators) ++load[a];
    if (task.origin == Origin::gold) gold.push_back(task.id);
    if (task.origin == Origin::adjudication) adjudication.push_back(task.id);
  }
  nlohmann::json per_annotator = nlohmann::json::object();
  for (std::size_t a = 0; a < load.size(); ++a) per_annotator[batch.annotators[a]] = load[a];
  manifest.set_setting("counts", {{"tasks", summary.tasks},
                                  {"selected", summary.selected},
                                  {"adjudication", summary.adjudication},
                                  {"gold", summary.gold},
                                  {"files", summary.files},
                                  {"per_annotator", std::move(per_annotator)}});
  // For ingest and the lead only: the task files themselves never mark gold items.
  manifest.set_setting("gold_ids", gold);
  manifest.set_setting("adjudication_ids", adjudication);
}

// Records the seconds each phase took in the manifest, so a slow export says where it went.
class PhaseClock {
 public:
  explicit PhaseClock(Manifest& manifest) : manifest_(manifest) {}
  void lap(const std::string& phase) {
    const auto now = std::chrono::steady_clock::now();
    manifest_.set_timing(phase, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  Manifest& manifest_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

void write_gold_file(const ExportBatch& batch, const fs::path& path) {
  AtomicOutput output(path, Overwrite::replace);
  std::string text = "id,label\n";
  for (const ExportTask& task : batch.tasks)
    if (task.origin == Origin::gold)
      text += fmt::format("{},{}\n", task.id, csv_field(batch.classes[task.known_label]));
  OutputFolder(output.temp_path().parent_path()).write(output.temp_path().filename(), text);
  output.commit();
}

// Pools with objects: the objects of csv/objects.csv (the same columns and coordinates), whatever
// the formats, so pre-label accounting reads them with the CSV reader.
std::string object_prelabels_text(const ExportBatch& batch) {
  std::string text = csv_objects_header(batch);
  for (const ExportTask& task : batch.tasks) text += csv_object_rows(batch, task);
  return text;
}

// Classification pools: each task's predicted class and its probability.
std::string choice_prelabels_text(const ExportBatch& batch) {
  std::string text = "id,predicted_class,probability\n";
  for (const ExportTask& task : batch.tasks) {
    const PreLabel* top = task.prelabels.empty() ? nullptr : &task.prelabels.front();
    text +=
        fmt::format("{},{},{}\n", task.id, top ? csv_field(batch.classes[top->class_index]) : "",
                    top ? fmt::format("{:.9g}", top->probability) : "");
  }
  return text;
}

void write_prelabels_file(const ExportBatch& batch, const fs::path& path) {
  AtomicOutput output(path, Overwrite::replace);
  const std::string text =
      batch.has_objects() ? object_prelabels_text(batch) : choice_prelabels_text(batch);
  OutputFolder(output.temp_path().parent_path()).write(output.temp_path().filename(), text);
  output.commit();
}

}  // namespace

fs::path prelabels_file_for(const fs::path& out) {
  return fs::path(out.string() + ".prelabels.csv");
}

fs::path gold_file_for(const fs::path& out) {
  return fs::path(out.string() + ".gold.csv");
}

ExportSummary run_export(const ExportRequest& request) {
  // "--out round7/" names the folder round7.
  const fs::path out = request.out.filename().empty() ? request.out.parent_path() : request.out;
  const Overwrite overwrite = overwrite_mode(out, request.force);
  AtomicOutput output(out, overwrite);  // checks the parent folder before any work

  Manifest manifest("export");
  PhaseClock clock(manifest);
  manifest.add_input("selection", request.inputs.selection);
  manifest.add_input("pool", request.inputs.pool);
  manifest.add_input("scores", request.inputs.scores);
  if (!request.inputs.labels.empty()) manifest.add_input("labels", request.inputs.labels);

  clock.lap("hash_inputs");
  const ExportBatch batch = gather_batch(request.inputs);
  clock.lap("gather");
  FormatOptions options;
  options.label_studio_prefix = request.label_studio_prefix.value_or(
      local_files_prefix(output.final_path().filename().string()));
  options.sagemaker_prefix = request.sagemaker_prefix;

  OutputFolder folder(output.temp_path());
  export_images(request.inputs.pool, batch, folder);
  export_originals(batch, folder);
  clock.lap("images");
  for (const Format format : request.formats) write_format(format, batch, options, folder);
  folder.write("README.md", export_readme(batch, request.formats, options));
  clock.lap("formats");

  ExportSummary summary = summarize(batch);
  const std::vector<std::string> files = folder.files();
  summary.files = files.size();
  retract_manifest(output.final_path());
  std::error_code ignored;
  fs::remove(gold_file_for(output.final_path()), ignored);  // an older export's, with --force
  output.commit();
  clock.lap("publish");
  write_prelabels_file(batch, prelabels_file_for(output.final_path()));
  manifest.add_output("prelabels", prelabels_file_for(output.final_path()));
  if (summary.gold > 0) {
    write_gold_file(batch, gold_file_for(output.final_path()));
    manifest.add_output("gold_labels", gold_file_for(output.final_path()));
  }

  // A second name of a file (COCO's subset folder) takes the first name's digest: no second read.
  const std::map<std::string, std::string> links = folder.links();
  for (const std::string& file : files)
    if (!links.contains(file)) manifest.add_output(file, output.final_path() / file);
  for (const auto& [name, same_as] : links)
    manifest.add_output_link(name, output.final_path() / name, same_as);
  clock.lap("hash_outputs");
  describe_in_manifest(manifest, request, batch, options, summary);
  manifest.publish_for(output.final_path());
  spdlog::info("export: {} tasks ({} selected, {} for adjudication, {} gold), {} files in {}",
               summary.tasks, summary.selected, summary.adjudication, summary.gold, summary.files,
               output.final_path().string());
  return summary;
}

}  // namespace quarry::exporting
