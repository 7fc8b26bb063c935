#pragma once
// String datatypes shared by attributes and string datasets. quarry writes fixed-length UTF-8
// where a reader must never reach HDF5's global heap (variable-length strings live there, and a
// damaged heap crashes HDF5 1.10 inside H5HG_read); it still reads variable-length strings, as
// h5py and earlier versions of quarry write them.
#include <hdf5.h>

#include <string>
#include <vector>

#include "h5/handle.hpp"

namespace quarry::h5 {

enum class StringStorage { variable, fixed };

Handle vlen_utf8_type();
// Null-padded UTF-8 strings of `width` bytes (at least 1: HDF5 refuses a zero-size type).
Handle fixed_utf8_type(size_t width);

// Values packed as fixed-length records: width = the longest value (at least 1).
struct FixedStrings {
  size_t width = 1;
  std::vector<char> bytes;
};
FixedStrings pack_fixed(const std::vector<std::string>& values);
// Splits `count` records of `width` bytes, each ending at its first NUL.
std::vector<std::string> unpack_fixed(const std::vector<char>& bytes, size_t width, size_t count);

// Frees what HDF5 allocated while reading variable-length strings into `pointers`, on every
// path out of the reader (H5Dvlen_reclaim was renamed H5Treclaim in HDF5 1.12).
class VlenStrings {
 public:
  VlenStrings(size_t count, hid_t space) : pointers_(count, nullptr), space_(space) {}
  ~VlenStrings();
  VlenStrings(const VlenStrings&) = delete;
  VlenStrings& operator=(const VlenStrings&) = delete;

  const Handle& type() const { return type_; }
  char** data() { return pointers_.data(); }
  std::vector<std::string> values() const;

 private:
  Handle type_ = vlen_utf8_type();
  std::vector<char*> pointers_;
  hid_t space_;
};

}  // namespace quarry::h5
