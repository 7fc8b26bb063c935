#pragma once
// One writer per annotation tool. Each renders the same ExportBatch into the files its tool
// imports, under its own sub-folder of the export, plus per-annotator task files where the
// tool has no other way to give each person their share (see README.md, "quarry export").
#include <string>

#include "export/export_batch.hpp"
#include "export/formats.hpp"
#include "export/output_folder.hpp"

namespace quarry::exporting {

struct FormatOptions {
  // Label Studio task image URL = prefix + "images/<id>.png".
  std::string label_studio_prefix;
  // Ground Truth source-ref = prefix + "images/<id>.png" (an s3:// folder, typically).
  std::string sagemaker_prefix;
};

// The Label Studio local-files URL prefix for an export folder named `folder_name`, served with
// LOCAL_FILES_DOCUMENT_ROOT set to the folder's parent.
std::string default_label_studio_prefix(const std::string& folder_name);

void write_label_studio(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out);
void write_cvat(const ExportBatch& batch, OutputFolder& out);
void write_coco(const ExportBatch& batch, OutputFolder& out);
void write_sagemaker(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out);
void write_csv(const ExportBatch& batch, OutputFolder& out);

// Field quoting of RFC 4180: quotes a field holding a comma, quote or line break.
std::string csv_field(const std::string& value);

}  // namespace quarry::exporting
