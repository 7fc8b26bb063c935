#pragma once
// One writer per annotation tool. Each renders the same ExportBatch into the files its tool
// imports, under its own sub-folder of the export, plus per-annotator task files where the
// tool has no other way to give each person their share (see README.md, "quarry export").
#include <cstdint>
#include <string>

#include "export/export_batch.hpp"
#include "export/formats.hpp"
#include "export/output_folder.hpp"

namespace quarry::exporting {

struct FormatOptions {
  // Label Studio task image URL = prefix + "images/<id>.png" (see local_files_prefix).
  std::string label_studio_prefix;
  // Ground Truth source-ref = prefix + "images/<id>.png" (an s3:// folder, typically).
  std::string sagemaker_prefix;
};

// Label Studio's Local Files URL: the file's path relative to LOCAL_FILES_DOCUMENT_ROOT follows.
inline constexpr const char* kLocalFilesUrl = "/data/local-files/?d=";

// The task image prefix for an export folder at `folder` (relative to Label Studio's
// LOCAL_FILES_DOCUMENT_ROOT, '/'-separated), percent-encoded: kLocalFilesUrl + folder + "/".
std::string local_files_prefix(const std::string& folder);

// Images narrower and lower than this many pixels are shown upscaled to at least this size.
inline constexpr std::uint32_t kSmallImageDisplay = 256;

// The width in pixels Label Studio shows an image at: small images (a 28x28 digit is 28 px wide
// by default, too small to judge without zooming) are scaled by the smallest whole factor that
// brings their longer side to kSmallImageDisplay, so each pixel stays a square block; other
// images keep their own width.
std::uint32_t display_width(const ImageShape& image);
// Whether the labeling config sets that display width: classification only (pre-labels with
// regions are placed wrongly on a stage of set width; see label_studio.cpp).
bool shows_display_width(const ExportBatch& batch);

void write_label_studio(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out);
void write_cvat(const ExportBatch& batch, OutputFolder& out);
void write_coco(const ExportBatch& batch, OutputFolder& out);
void write_sagemaker(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out);
void write_csv(const ExportBatch& batch, OutputFolder& out);

// Field quoting of RFC 4180: quotes a field holding a comma, quote or line break.
std::string csv_field(const std::string& value);

}  // namespace quarry::exporting
