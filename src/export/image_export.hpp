#pragma once
// Writes images/<id>.png for every task of an export that shows the pool's pixels (not an
// original file: original_images.hpp), with the pool's exact pixel values.
// HDF5 is not thread-safe, so this thread reads the pool (only the exported rows, in row order,
// in chunk-friendly runs), while oneTBB's threads encode and write the previous block.
#include <filesystem>

#include "export/export_batch.hpp"
#include "export/output_folder.hpp"

namespace quarry::exporting {

void export_images(const std::filesystem::path& pool, const ExportBatch& batch, OutputFolder& out);

}  // namespace quarry::exporting
