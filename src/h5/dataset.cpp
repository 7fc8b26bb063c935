#include "h5/dataset.hpp"

#include <fmt/format.h>

#include <numeric>

namespace quarry::h5 {

namespace {
// Deflate's maximum compression ratio is 1032:1; a little more allows for chunk padding.
constexpr hsize_t kMaxCompressionRatio = 1100;
constexpr hsize_t kSlackBytes = hsize_t{1} << 20;

// Bytes one element takes in the file: a variable-length element is a global heap reference
// (4-byte length, heap address, 4-byte index), whatever its in-memory size.
hsize_t stored_element_bytes(hid_t dataset, hid_t type) {
  const std::string what = "reading the type";
  if (check_in(dataset, H5Tget_class(type), what) == H5T_VLEN ||
      check_in(dataset, H5Tis_variable_str(type), what) > 0) {
    Handle file(check_in(dataset, H5Iget_file_id(dataset), "finding the file"));
    Handle fcpl(check_in(dataset, H5Fget_create_plist(file.id()), "reading the file's layout"));
    size_t address_bytes = 8, length_bytes = 8;
    check_in(dataset, H5Pget_sizes(fcpl.id(), &address_bytes, &length_bytes),
             "reading the file's address size");
    return 4 + address_bytes + 4;
  }
  return check_size(H5Tget_size(type), what);
}
}  // namespace

std::string Dataset::where(const std::string& what) const {
  return file_ + ": " + name_ + ": " + what;
}

std::vector<hsize_t> Dataset::dims() const {
  Handle space(check(H5Dget_space(id()), where("reading the shape")));
  int rank = static_cast<int>(check(H5Sget_simple_extent_ndims(space.id()), where("rank")));
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), where("reading the shape"));
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
  Handle plist(check(H5Dget_create_plist(id()), where("reading the layout")));
  if (check(H5Pget_layout(plist.id()), where("reading the layout")) != H5D_CHUNKED) return {};
  std::vector<hsize_t> chunk(dims().size());
  check(H5Pget_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()),
        where("reading the chunk shape"));
  return chunk;
}

hsize_t Dataset::storage_bytes() const {
  const hsize_t bytes = H5Dget_storage_size(id());
  // 0 is both "nothing allocated yet" and HDF5's failure value: the error stack tells them apart
  // (every HDF5 call clears it on entry).
  if (bytes == 0 && H5Eget_num(H5E_DEFAULT) > 0) check(-1, where("reading the stored size"));
  return bytes;
}

std::string Dataset::stored_type() const {
  Handle type(check(H5Dget_type(id()), where("reading the type")));
  return describe_type(type.id());
}

void Dataset::check_extent_fits(hsize_t file_bytes) const {
  Handle type(check(H5Dget_type(id()), where("reading the type")));
  hsize_t needed = stored_element_bytes(id(), type.id());
  for (hsize_t d : dims())
    if (__builtin_mul_overflow(needed, d, &needed))
      throw InputError(file_, name_, "has an extent too large to address: the file is damaged");
  Handle plist(check(H5Dget_create_plist(id()), where("reading the layout")));
  const hsize_t stored = storage_bytes();
  const hid_t layout = check(H5Pget_layout(plist.id()), where("reading the layout"));
  if (layout == H5D_CONTIGUOUS && stored > 0 && stored != needed)
    throw InputError(file_, name_,
                     fmt::format("its extent needs {} bytes but {} are stored: the file is damaged",
                                 needed, stored));
  if (needed > file_bytes * kMaxCompressionRatio + kSlackBytes)
    throw InputError(file_, name_,
                     fmt::format("its extent needs {} bytes, more than the {}-byte file can hold "
                                 "even compressed: the file is damaged",
                                 needed, file_bytes));
}

void Dataset::transfer_rows(hsize_t first, hsize_t count, hid_t mem_type, void* buffer,
                            size_t buffer_elements, Transfer mode, bool writing) const {
  auto file_dims = dims();
  if (file_dims.empty()) throw H5Error(where("a scalar, not a row dataset"));
  if (first + count > file_dims[0])
    throw H5Error(where("rows " + std::to_string(first) + ".." + std::to_string(first + count) +
                        " are past its " + std::to_string(file_dims[0]) + " rows"));
  if (buffer_elements != count * row_elements())
    throw H5Error(where("buffer holds " + std::to_string(buffer_elements) +
                        " elements, the rows need " + std::to_string(count * row_elements())));
  Handle file_space(check(H5Dget_space(id()), where("reading the shape")));
  std::vector<hsize_t> start(file_dims.size(), 0), extent = file_dims;
  start[0] = first;
  extent[0] = count;
  // Zero rows still takes part in a collective transfer: select nothing instead of skipping.
  if (count == 0)
    check(H5Sselect_none(file_space.id()), where("selecting no rows"));
  else
    check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                              nullptr),
          where("selecting rows"));
  Handle mem_space(check(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr),
                         "creating a memory dataspace"));
  if (count == 0) check(H5Sselect_none(mem_space.id()), where("selecting no rows"));
  Handle transfer = make_transfer(mode);
  if (writing)
    check(H5Dwrite(id(), mem_type, mem_space.id(), file_space.id(), transfer.id(), buffer),
          where("writing rows"));
  else
    check(H5Dread(id(), mem_type, mem_space.id(), file_space.id(), transfer.id(), buffer),
          where("reading rows"));
}

}  // namespace quarry::h5
