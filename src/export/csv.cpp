// CSV for spreadsheets and in-house tools: one row per item with its image file, the model's
// prediction and probability, the acquisition score and the annotators assigned to it
// (separated by ';' inside the field). Pools with objects: items.csv lists each item's image size
// instead of a prediction, and objects.csv holds one row per pre-labelled object (csv_objects.cpp).
#include <fmt/format.h>

#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

namespace {

std::string annotator_field(const ExportBatch& batch, const ExportTask& task) {
  std::string annotators;
  for (const std::uint32_t a : task.annotators)
    annotators += (annotators.empty() ? "" : ";") + batch.annotators[a];
  return csv_field(annotators);
}

void write_object_csv(const ExportBatch& batch, OutputFolder& out) {
  std::string items = "id,file,width,height,objects,score,annotators\n";
  std::string objects = csv_objects_header(batch);
  for (const ExportTask& task : batch.tasks) {
    items += fmt::format("{},{},{},{},{},{:.9g},{}\n", task.id, csv_field(task.file),
                         task.shown.width, task.shown.height, task.objects.size(), task.score,
                         annotator_field(batch, task));
    objects += csv_object_rows(batch, task);
  }
  out.write("csv/items.csv", items);
  out.write("csv/objects.csv", objects);
}

}  // namespace

void write_csv(const ExportBatch& batch, OutputFolder& out) {
  if (batch.has_objects()) return write_object_csv(batch, out);
  std::string text = "id,file,predicted_class,probability,score,annotators\n";
  for (const ExportTask& task : batch.tasks) {
    const PreLabel* top = task.prelabels.empty() ? nullptr : &task.prelabels.front();
    // {:.9g} keeps every float32 digit, so the values read back exactly.
    text += fmt::format("{},{},{},{},{:.9g},{}\n", task.id, csv_field(task.file),
                        top ? csv_field(batch.classes[top->class_index]) : "",
                        top ? fmt::format("{:.9g}", top->probability) : "", task.score,
                        annotator_field(batch, task));
  }
  out.write("csv/items.csv", text);
}

}  // namespace quarry::exporting
