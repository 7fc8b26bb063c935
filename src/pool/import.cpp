#include "pool/import.hpp"

#include "core/error.hpp"

namespace quarry::pool {

void import_pool(const ImportRequest& request) {
  if (request.format == "fashion-mnist") return import_fashion_mnist(request);
  if (request.format == "idx") return import_idx(request);
  if (request.format == "png-dir") return import_png_dir(request);
  if (request.format == "npy") return import_npy(request);
  if (request.format == "coco") return import_coco(request);
  throw UsageError("--format '" + request.format +
                   "' is not one of fashion-mnist, idx, png-dir, npy, coco");
}

}  // namespace quarry::pool
