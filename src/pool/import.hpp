#pragma once
// Importers turn data in common formats into pool files (schema.hpp). Each reads its input in
// batches through PoolWriter, so bad input anywhere leaves no output file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"

namespace quarry::pool {

struct ImportRequest {
  std::string format;                   // fashion-mnist | idx | png-dir | npy | coco
  std::filesystem::path input;          // folder (fashion-mnist, png-dir) or file (idx, npy, coco)
  std::filesystem::path labels;         // idx/npy: optional labels file
  std::string split = "train";          // fashion-mnist: train | test
  std::vector<std::string> classes;     // idx/npy: class names (default: "0".."K-1")
  std::uint64_t first_id = 0;           // ids are first_id + row (coco: ids are COCO image ids)
  std::filesystem::path images;         // coco: the folder COCO's file_name entries are relative to
  std::uint32_t height = 0, width = 0;  // coco: the pool's image size (--size HxW)
  std::uint32_t channels = 0;           // coco: 1 or 3; 0 takes the first image's
  std::filesystem::path out;
  Overwrite overwrite = Overwrite::refuse;
};

void import_pool(const ImportRequest& request);  // dispatches on request.format

void import_fashion_mnist(const ImportRequest& request);
void import_idx(const ImportRequest& request);
void import_png_dir(const ImportRequest& request);
void import_npy(const ImportRequest& request);
void import_coco(const ImportRequest& request);

}  // namespace quarry::pool
