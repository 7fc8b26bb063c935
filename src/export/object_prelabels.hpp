#pragma once
// Pre-labels of pools with objects: the detections of each exported item (the scores file's
// /detections) at or above the threshold, in the pixels of the image the annotator sees. Where
// the pool keeps the original file an item was letterboxed from (/source), the task shows that
// original and the detections are mapped into it (files/pool/source_coordinates.hpp); otherwise
// the task shows the pool's pixels and the detections keep their coordinates. Boxes are clipped
// to the image and keypoints outside it are left unlabelled, so every tool accepts them.
#include <filesystem>

#include "export/export_batch.hpp"

namespace quarry::score {
class ScoresFile;
}
namespace quarry::pool {
class PoolFile;
}

namespace quarry::exporting {

// Fills every task's objects, shown size and original. InputError naming the scores file when it
// has no /detections (scores of a classifier) or a detection's label is outside the classes, and
// naming the pool when an original cannot be read.
void add_object_prelabels(const pool::PoolFile& pool, const score::ScoresFile& scores,
                          ExportBatch& batch);

// One detection clipped to a width x height image, or false when nothing of it is inside.
bool clip_to_image(std::array<double, 4>& box, const pool::ImageSize& image);

}  // namespace quarry::exporting
