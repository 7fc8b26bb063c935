#include "h5/types.hpp"

#include "h5/error.hpp"
#include "h5/handle.hpp"

namespace quarry::h5 {

hid_t float16_type() {
  // Built once (little-endian, 1 sign, 5 exponent, 10 mantissa bits, bias 15) and kept for the
  // life of the process, like HDF5's own predefined types.
  static const hid_t type = [] {
    const std::string what = "building the float16 type";
    Handle t(check(H5Tcopy(H5T_IEEE_F32LE), what));
    check(H5Tset_fields(t.id(), 15, 10, 5, 0, 10), what);
    check(H5Tset_size(t.id(), 2), what);
    check(H5Tset_ebias(t.id(), 15), what);
    check(H5Tset_precision(t.id(), 16), what);
    return t.release();
  }();
  return type;
}

std::string describe_type(hid_t type) {
  // For messages about another problem: a type HDF5 cannot describe is "unknown", never a second
  // error raised while the first is being reported.
  const size_t bytes = H5Tget_size(type);
  const H5T_class_t type_class = H5Tget_class(type);
  if (bytes == 0 || type_class == H5T_NO_CLASS) {
    (void)H5Eclear2(H5E_DEFAULT);
    return "an unknown type";
  }
  const auto bits = std::to_string(8 * bytes);
  switch (type_class) {
    case H5T_INTEGER:
      return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + bits;
    case H5T_FLOAT:
      return "float" + bits;
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "vlen";
    default:
      return "other";
  }
}

}  // namespace quarry::h5
