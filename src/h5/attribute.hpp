#pragma once
// Attributes on files, groups and datasets. Strings are stored as variable-length UTF-8 by
// default, as h5py writes them, so Python users read them back as str; `StringStorage::fixed`
// keeps them out of HDF5's global heap (see strings.hpp). Readers accept both.
#include <hdf5.h>

#include <string>
#include <vector>

#include "h5/error.hpp"
#include "h5/handle.hpp"
#include "h5/strings.hpp"
#include "h5/types.hpp"

namespace quarry::h5 {

bool has_attribute(hid_t object, const std::string& name);
void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     StringStorage storage = StringStorage::variable);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                     StringStorage storage = StringStorage::variable);
// A missing attribute or one that holds no strings is an InputError naming the file.
std::string read_string_attribute(hid_t object, const std::string& name);
// Reads a 1-d string array; a scalar string reads as one element.
std::vector<std::string> read_strings_attribute(hid_t object, const std::string& name);

// Numeric scalar attributes.
void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* value);
void read_numeric_attribute(hid_t object, const std::string& name, hid_t type, void* value);

// Numeric arrays (any rank; `dims` gives the shape, values in row-major order). Reading gives
// the values converted to `type` and the stored shape.
void write_numeric_array_attribute(hid_t object, const std::string& name, hid_t type,
                                   const std::vector<hsize_t>& dims, const void* values);
std::vector<hsize_t> numeric_array_attribute_dims(hid_t object, const std::string& name);
void read_numeric_array_attribute(hid_t object, const std::string& name, hid_t type, void* values);

template <class T>
void write_array_attribute(hid_t object, const std::string& name, const std::vector<hsize_t>& dims,
                           const std::vector<T>& values) {
  write_numeric_array_attribute(object, name, native_type<T>(), dims, values.data());
}
// The values and their stored shape; a string attribute is an InputError naming the file.
template <class T>
std::vector<T> read_array_attribute(hid_t object, const std::string& name,
                                    std::vector<hsize_t>* dims = nullptr) {
  std::vector<hsize_t> shape = numeric_array_attribute_dims(object, name);
  hsize_t count = 1;
  for (hsize_t d : shape) count *= d;
  std::vector<T> values(count);
  if (count > 0) read_numeric_array_attribute(object, name, native_type<T>(), values.data());
  if (dims) *dims = std::move(shape);
  return values;
}

template <class T>
void write_attribute(hid_t object, const std::string& name, T value) {
  write_numeric_attribute(object, name, native_type<T>(), &value);
}
template <class T>
T read_attribute(hid_t object, const std::string& name) {
  T value{};
  read_numeric_attribute(object, name, native_type<T>(), &value);
  return value;
}

}  // namespace quarry::h5
