#include "files/pool/shard_reader.hpp"

#include <algorithm>

namespace quarry::pool {

ShardReader::ShardReader(const std::filesystem::path& pool, comm::Range rows,
                         std::uint64_t batch_size, int depth, bool with_objects)
    : rows_(rows),
      batch_size_(std::max<std::uint64_t>(1, batch_size)),
      with_objects_(with_objects),
      path_(pool) {
  // Open once on the calling thread to validate and learn the shape; the I/O thread reopens.
  {
    PoolFile file = PoolFile::open(pool);
    meta_ = file.meta();
  }
  if (rows_.end > meta_.count)
    throw Error("shard rows end past the pool's " + std::to_string(meta_.count) + " items");
  ring_.resize(static_cast<size_t>(std::max(2, depth)));
  const std::uint64_t elements = batch_size_ * meta_.shape.elements();
  for (Batch& batch : ring_) {
    batch.ids.resize(batch_size_);
    if (meta_.shape.kind == Kind::images)
      batch.pixels.resize(elements);
    else
      batch.features.resize(elements);
    if (meta_.has_labels) batch.labels.resize(batch_size_);
  }
  batches_total_ = (rows_.size() + batch_size_ - 1) / batch_size_;
  io_thread_ = std::thread([this] { read_loop(); });
}

ShardReader::~ShardReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  io_thread_.join();
}

void ShardReader::read_loop() {
  try {
    PoolFile file = PoolFile::open(path_);
    const std::uint64_t elements = meta_.shape.elements();
    for (std::uint64_t index = 0; index < batches_total_; ++index) {
      {
        // The slot is free once the caller has moved past it: it holds at most one batch in use
        // (consumed_ - 1) and everything produced but not yet consumed.
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stop_ || index < std::max<std::uint64_t>(consumed_, 1) - 1 + ring_.size();
        });
        if (stop_) return;
      }
      Batch& batch = ring_[index % ring_.size()];
      batch.first_row = rows_.begin + index * batch_size_;
      batch.count = std::min(batch_size_, rows_.end - batch.first_row);
      const auto n = batch.count;
      file.ids().read_rows<std::uint64_t>(batch.first_row, n, std::span(batch.ids).first(n));
      if (meta_.shape.kind == Kind::images)
        file.items().read_rows<std::uint8_t>(batch.first_row, n,
                                             std::span(batch.pixels).first(n * elements));
      else
        file.items().read_rows<float>(batch.first_row, n,
                                      std::span(batch.features).first(n * elements));
      if (file.labels())
        file.labels()->read_rows<std::int32_t>(batch.first_row, n,
                                               std::span(batch.labels).first(n));
      if (with_objects_) batch.objects = read_objects(file, batch.first_row, n);
      {
        std::lock_guard lock(mutex_);
        produced_ = index + 1;
      }
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    failure_ = std::current_exception();
  }
  changed_.notify_all();
}

const Batch* ShardReader::next() {
  std::unique_lock lock(mutex_);
  if (consumed_ >= batches_total_) {
    consumed_ = batches_total_ + 1;  // releases the last batch's slot
    return nullptr;
  }
  ++consumed_;  // releases the previous batch's slot
  changed_.notify_all();
  changed_.wait(lock, [&] { return produced_ >= consumed_ || failure_; });
  if (produced_ < consumed_) std::rethrow_exception(failure_);
  return &ring_[(consumed_ - 1) % ring_.size()];
}

}  // namespace quarry::pool
