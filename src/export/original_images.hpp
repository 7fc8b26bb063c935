#pragma once
// Writes images/<id>.png for the tasks that show an original file (pools letterboxed from larger
// images, /source): a PNG original is copied byte for byte, a JPEG is decoded and written as a
// PNG of the same pixels, so every export keeps the images/<id>.png naming ingest relies on.
#include "export/export_batch.hpp"
#include "export/output_folder.hpp"

namespace quarry::exporting {

// InputError naming the original when it cannot be read.
void export_originals(const ExportBatch& batch, OutputFolder& out);

}  // namespace quarry::exporting
