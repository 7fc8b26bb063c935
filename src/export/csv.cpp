// CSV for spreadsheets and in-house tools: one row per item with its image file, the model's
// prediction and probability, the acquisition score and the annotators assigned to it
// (separated by ';' inside the field).
#include <fmt/format.h>

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

void write_csv(const ExportBatch& batch, OutputFolder& out) {
  std::string text = "id,file,predicted_class,probability,score,annotators\n";
  for (const ExportTask& task : batch.tasks) {
    std::string annotators;
    for (const std::uint32_t a : task.annotators)
      annotators += (annotators.empty() ? "" : ";") + batch.annotators[a];
    const PreLabel* top = task.prelabels.empty() ? nullptr : &task.prelabels.front();
    // {:.9g} keeps every float32 digit, so the values read back exactly.
    text += fmt::format("{},{},{},{},{:.9g},{}\n", task.id, csv_field(task.file),
                        top ? csv_field(batch.classes[top->class_index]) : "",
                        top ? fmt::format("{:.9g}", top->probability) : "", task.score,
                        csv_field(annotators));
  }
  out.write("csv/items.csv", text);
}

}  // namespace quarry::exporting
