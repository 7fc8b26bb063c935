#pragma once
// Streams a rank's shard of a pool in batches. One I/O thread reads batch i+1 (and further, up to
// the ring depth) while the caller works on batch i. Buffers are allocated once; the I/O thread
// is the only thread that calls HDF5 while a reader is alive (Debian's HDF5 is not thread-safe).
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "comm/shard.hpp"
#include "files/pool/schema.hpp"

namespace quarry::pool {

struct Batch {
  std::uint64_t first_row = 0;  // pool row of the batch's first item
  std::uint64_t count = 0;      // items in this batch (the last one may be short)
  std::vector<std::uint64_t> ids;
  std::vector<std::uint8_t> pixels;  // count * item elements, image pools
  std::vector<float> features;       // count * item elements, feature pools
  std::vector<std::int32_t> labels;  // count, when the pool has labels
  ObjectTable objects;               // the batch's rows, when asked for (with_objects)
};

class ShardReader {
 public:
  // `rows` is the shard (see comm::shard_range); `depth` >= 2 batches are in the ring.
  // `with_objects`: batches carry the pool's ground-truth objects (empty rows where it has none).
  ShardReader(const std::filesystem::path& pool, comm::Range rows, std::uint64_t batch_size,
              int depth = 3, bool with_objects = false);
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  const PoolMeta& meta() const { return meta_; }
  comm::Range rows() const { return rows_; }

  // The next batch, or nullptr after the last. The batch stays valid until the next call; an
  // I/O error on the reader thread is rethrown here.
  const Batch* next();

 private:
  void read_loop();

  PoolMeta meta_;
  comm::Range rows_;
  std::uint64_t batch_size_;
  bool with_objects_;
  std::filesystem::path path_;
  std::vector<Batch> ring_;
  std::uint64_t batches_total_ = 0;
  // Ring positions count batches since the start; slot = position % ring size.
  std::uint64_t produced_ = 0;  // batches filled by the I/O thread
  std::uint64_t consumed_ = 0;  // batches handed to the caller (the last one is still in use)
  bool stop_ = false;
  std::exception_ptr failure_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread io_thread_;
};

}  // namespace quarry::pool
