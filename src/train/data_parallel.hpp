#pragma once
// Data parallelism over MPI ranks: identical starting parameters (broadcast from rank 0) and
// gradients summed across ranks in a few large all-reduces over fused flat buffers ("buckets"),
// not one call per tensor. Tensors on a GPU go through the host buffers (simple, and cheap next
// to the forward and backward passes of the models quarry trains).
#include <torch/torch.h>

#include <vector>

#include "comm/communicator.hpp"

namespace quarry::train {

class DataParallel {
 public:
  DataParallel(const comm::Communicator& comm, std::vector<torch::Tensor> parameters,
               std::size_t bucket_bytes = 4u << 20);

  void broadcast_parameters(int root = 0);
  // Sums every parameter's gradient over the ranks (an undefined gradient counts as zeros).
  void allreduce_gradients();

 private:
  struct Bucket {
    std::size_t first = 0, count = 0;  // parameters [first, first + count)
    std::vector<float> buffer;         // their elements, flat, allocated once
  };

  comm::Communicator comm_;
  std::vector<torch::Tensor> parameters_;
  std::vector<Bucket> buckets_;
};

}  // namespace quarry::train
