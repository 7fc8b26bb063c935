#pragma once
// C++ element type -> HDF5 native memory type, and a check that a file's stored type is the one
// a contract expects (class, size and signedness, whatever the byte order).
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "core/float16.hpp"

namespace quarry::h5 {

// IEEE binary16 as HDF5 has no predefined native half type (h5py and numpy read it as float16).
hid_t float16_type();

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, std::uint8_t>)
    return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return H5T_NATIVE_INT8;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, float>)
    return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, double>)
    return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, Float16>)
    return float16_type();
  else
    static_assert(sizeof(T) == 0, "no HDF5 native type for this element type");
}

// "uint8", "float32", ... for error messages.
template <class T>
std::string type_name() {
  if constexpr (std::is_same_v<T, Float16>)
    return "float16";
  else if constexpr (std::is_floating_point_v<T>)
    return "float" + std::to_string(8 * sizeof(T));
  else
    return std::string(std::is_signed_v<T> ? "int" : "uint") + std::to_string(8 * sizeof(T));
}

// Describes a stored datatype the same way ("uint8", "float64", "string", "compound", ...).
std::string describe_type(hid_t type);

}  // namespace quarry::h5
