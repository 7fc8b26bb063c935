#pragma once
// Lloyd iterations for kmeans.hpp, with Hamerly's bounds (Hamerly 2010): per row an upper bound
// on the distance to its centroid and a lower bound on the distance to every other centroid,
// carried across iterations by how far the centroids moved. A row whose bounds are apart by more
// than the GEMM's rounding provably keeps its cluster, so only the other rows go through the
// blocked-GEMM assignment: late iterations touch a few percent of the rows. The assignments are
// exactly those of the plain iterations (every row through the GEMM), tested.
#include "select/strategies/kmeans.hpp"

namespace quarry::select {

// Collective: runs up to `max_iterations` Lloyd steps on `result` (its centroids, and its
// assignment of this rank's rows, -1 where unknown), stopping once at most one item in a
// thousand changes cluster. Without `bounds`, every row is assigned through the GEMM each step.
void lloyd(const comm::Communicator& comm, const Shard& shard, Clustering& result,
           int max_iterations, bool bounds);

}  // namespace quarry::select
