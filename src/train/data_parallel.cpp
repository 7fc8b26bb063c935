#include "train/data_parallel.hpp"

#include <cstring>

namespace quarry::train {

DataParallel::DataParallel(const comm::Communicator& comm, std::vector<torch::Tensor> parameters,
                           std::size_t bucket_bytes)
    : comm_(comm), parameters_(std::move(parameters)) {
  Bucket bucket;
  std::size_t elements = 0;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    if (bucket.count > 0 && (elements + parameters_[i].numel()) * sizeof(float) > bucket_bytes) {
      bucket.buffer.resize(elements);
      buckets_.push_back(std::move(bucket));
      bucket = Bucket{i, 0, {}};
      elements = 0;
    }
    ++bucket.count;
    elements += static_cast<std::size_t>(parameters_[i].numel());
  }
  if (bucket.count > 0) {
    bucket.buffer.resize(elements);
    buckets_.push_back(std::move(bucket));
  }
}

namespace {
// Host float view of a tensor's values (a copy when it lives elsewhere or is not float32).
void copy_out(const torch::Tensor& tensor, float* out) {
  auto host = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  std::memcpy(out, host.data_ptr<float>(), host.numel() * sizeof(float));
}
void copy_in(torch::Tensor tensor, const float* in) {
  auto host = torch::from_blob(const_cast<float*>(in), tensor.sizes(), torch::kFloat32);
  tensor.detach().copy_(host);
}
}  // namespace

void DataParallel::broadcast_parameters(int root) {
  if (comm_.size() == 1) return;
  torch::NoGradGuard no_grad;
  for (auto& bucket : buckets_) {
    float* at = bucket.buffer.data();
    if (comm_.rank() == root)
      for (std::size_t i = bucket.first; i < bucket.first + bucket.count; ++i) {
        copy_out(parameters_[i], at);
        at += parameters_[i].numel();
      }
    comm_.broadcast(std::span<float>(bucket.buffer), root);
    at = bucket.buffer.data();
    for (std::size_t i = bucket.first; i < bucket.first + bucket.count; ++i) {
      copy_in(parameters_[i], at);
      at += parameters_[i].numel();
    }
  }
}

void DataParallel::allreduce_gradients() {
  if (comm_.size() == 1) return;
  for (auto& bucket : buckets_) {
    float* at = bucket.buffer.data();
    for (std::size_t i = bucket.first; i < bucket.first + bucket.count; ++i) {
      auto& parameter = parameters_[i];
      if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
      copy_out(parameter.grad(), at);
      at += parameter.numel();
    }
    comm_.allreduce(std::span<float>(bucket.buffer), comm::Op::sum);
    at = bucket.buffer.data();
    for (std::size_t i = bucket.first; i < bucket.first + bucket.count; ++i) {
      copy_in(parameters_[i].mutable_grad(), at);
      at += parameters_[i].numel();
    }
  }
}

}  // namespace quarry::train
