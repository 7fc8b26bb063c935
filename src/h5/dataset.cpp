#include "h5/dataset.hpp"

#include <numeric>

namespace quarry::h5 {

std::vector<hsize_t> Dataset::dims() const {
  Handle space(check(H5Dget_space(id()), "reading the shape of " + name_));
  int rank = static_cast<int>(check(H5Sget_simple_extent_ndims(space.id()), "rank of " + name_));
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return dims;
}

hsize_t Dataset::rows() const {
  auto d = dims();
  return d.empty() ? 1 : d[0];
}

hsize_t Dataset::row_elements() const {
  auto d = dims();
  if (d.empty()) return 1;
  return std::accumulate(d.begin() + 1, d.end(), hsize_t{1}, std::multiplies<>());
}

std::vector<hsize_t> Dataset::chunk_dims() const {
  Handle plist(check(H5Dget_create_plist(id()), "reading the layout of " + name_));
  if (H5Pget_layout(plist.id()) != H5D_CHUNKED) return {};
  std::vector<hsize_t> chunk(dims().size());
  check(H5Pget_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()),
        "reading the chunk shape of " + name_);
  return chunk;
}

hsize_t Dataset::storage_bytes() const {
  return H5Dget_storage_size(id());
}

std::string Dataset::stored_type() const {
  Handle type(check(H5Dget_type(id()), "reading the type of " + name_));
  return describe_type(type.id());
}

void Dataset::transfer_rows(hsize_t first, hsize_t count, hid_t mem_type, void* buffer,
                            size_t buffer_elements, Transfer mode, bool writing) const {
  auto file_dims = dims();
  if (file_dims.empty()) throw H5Error(name_ + " is a scalar, not a row dataset");
  if (first + count > file_dims[0])
    throw H5Error(name_ + ": rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                  " are past its " + std::to_string(file_dims[0]) + " rows");
  if (buffer_elements != count * row_elements())
    throw H5Error(name_ + ": buffer holds " + std::to_string(buffer_elements) +
                  " elements, the rows need " + std::to_string(count * row_elements()));
  Handle file_space(check(H5Dget_space(id()), "reading the shape of " + name_));
  std::vector<hsize_t> start(file_dims.size(), 0), extent = file_dims;
  start[0] = first;
  extent[0] = count;
  // Zero rows still takes part in a collective transfer: select nothing instead of skipping.
  if (count == 0)
    H5Sselect_none(file_space.id());
  else
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                              nullptr),
          "selecting rows of " + name_);
  Handle mem_space(check(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr),
                         "creating a memory dataspace"));
  if (count == 0) H5Sselect_none(mem_space.id());
  Handle transfer = make_transfer(mode);
  if (writing)
    check(H5Dwrite(id(), mem_type, mem_space.id(), file_space.id(), transfer.id(), buffer),
          "writing rows of " + name_);
  else
    check(H5Dread(id(), mem_type, mem_space.id(), file_space.id(), transfer.id(), buffer),
          "reading rows of " + name_);
}

}  // namespace quarry::h5
