#pragma once
// A dataset whose first dimension indexes items. Reads and writes work on rows [first,
// first+count) so a rank touches only its shard; the row shape is the remaining dimensions.
#include <hdf5.h>

#include <span>
#include <string>
#include <vector>

#include "h5/error.hpp"
#include "h5/handle.hpp"
#include "h5/property.hpp"
#include "h5/types.hpp"

namespace quarry::h5 {

class Dataset {
 public:
  Dataset(Handle handle, std::string name, std::string file)
      : handle_(std::move(handle)), name_(std::move(name)), file_(std::move(file)) {}

  hid_t id() const { return handle_.id(); }
  void close() { handle_.reset(); }
  const std::string& name() const { return name_; }
  const std::string& file() const { return file_; }  // the path of the file that holds it
  std::vector<hsize_t> dims() const;
  hsize_t rows() const;                     // dims()[0]
  hsize_t row_elements() const;             // product of dims()[1..]
  std::vector<hsize_t> chunk_dims() const;  // empty when stored contiguously
  hsize_t storage_bytes() const;            // bytes on disk (after compression, if any)
  std::string stored_type() const;          // "uint8", "float32", ...
  // InputError naming the file and dataset when its extent cannot be real: a contiguous dataset
  // whose storage is not extent x element size, or any dataset that would need more than
  // deflate's best ratio (~1032:1) times `file_bytes`. Callers check before allocating for it.
  void check_extent_fits(hsize_t file_bytes) const;
  template <class T>
  bool holds() const {
    return stored_type() == type_name<T>();
  }

  template <class T>
  void read_rows(hsize_t first, hsize_t count, std::span<T> out,
                 Transfer mode = Transfer::independent) const {
    transfer_rows(first, count, native_type<T>(), out.data(), out.size(), mode, false);
  }
  template <class T>
  void write_rows(hsize_t first, hsize_t count, std::span<const T> in,
                  Transfer mode = Transfer::independent) const {
    transfer_rows(first, count, native_type<T>(), const_cast<T*>(in.data()), in.size(), mode, true);
  }
  template <class T>
  std::vector<T> read_all() const {
    std::vector<T> values(rows() * row_elements());
    read_rows<T>(0, rows(), values);
    return values;
  }

 private:
  void transfer_rows(hsize_t first, hsize_t count, hid_t mem_type, void* buffer,
                     size_t buffer_elements, Transfer mode, bool writing) const;

  // "FILE: NAME: what" for HDF5 errors.
  std::string where(const std::string& what) const;

  Handle handle_;
  std::string name_;
  std::string file_;
};

}  // namespace quarry::h5
