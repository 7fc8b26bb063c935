#include "h5/attribute.hpp"

#include "h5/strings.hpp"

namespace quarry::h5 {

namespace {
Handle create_fresh(hid_t object, const std::string& name, hid_t type, hid_t space) {
  if (has_attribute(object, name))
    check_in(object, H5Adelete(object, name.c_str()), "replacing attribute '" + name + "'");
  return Handle(check_in(object,
                         H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                         "creating attribute '" + name + "'"));
}

Handle open_attribute(hid_t object, const std::string& name) {
  if (!has_attribute(object, name))
    throw InputError(file_name_of(object), "attribute " + name, "is missing");
  return Handle(
      check_in(object, H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute " + name));
}

void write_strings(hid_t object, const std::string& name, const std::vector<std::string>& values,
                   bool scalar, StringStorage storage) {
  hsize_t count = values.size();
  Handle space(check(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr),
                     "creating an attribute dataspace"));
  const std::string what = "writing attribute '" + name + "'";
  if (storage == StringStorage::fixed) {
    const FixedStrings packed = pack_fixed(values);
    Handle type = fixed_utf8_type(packed.width);
    Handle attr = create_fresh(object, name, type.id(), space.id());
    // An empty array: HDF5 refuses a null buffer even for 0 values.
    if (!values.empty())
      check_in(object, H5Awrite(attr.id(), type.id(), packed.bytes.data()), what);
    return;
  }
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  Handle type = vlen_utf8_type();
  Handle attr = create_fresh(object, name, type.id(), space.id());
  if (!pointers.empty()) check_in(object, H5Awrite(attr.id(), type.id(), pointers.data()), what);
}
}  // namespace

bool has_attribute(hid_t object, const std::string& name) {
  return check_in(object, H5Aexists(object, name.c_str()), "looking up attribute '" + name + "'") >
         0;
}

void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     StringStorage storage) {
  write_strings(object, name, {value}, true, storage);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values,
                     StringStorage storage) {
  write_strings(object, name, values, false, storage);
}

std::vector<std::string> read_strings_attribute(hid_t object, const std::string& name) {
  Handle attr = open_attribute(object, name);
  const std::string type_of = "reading the type of attribute " + name;
  Handle stored(check_in(object, H5Aget_type(attr.id()), type_of));
  if (check_in(object, H5Tget_class(stored.id()), type_of) != H5T_STRING)
    throw InputError(file_name_of(object), "attribute " + name,
                     "holds " + describe_type(stored.id()) + ", not strings");
  Handle space(check_in(object, H5Aget_space(attr.id()), "reading the shape of attribute " + name));
  auto count = static_cast<size_t>(
      check_in(object, H5Sget_simple_extent_npoints(space.id()), "counting attribute values"));
  if (count == 0) return {};
  const std::string what = "reading attribute " + name;
  if (check_in(object, H5Tis_variable_str(stored.id()), type_of) > 0) {
    VlenStrings strings(count, space.id());
    check_in(object, H5Aread(attr.id(), strings.type().id(), strings.data()), what);
    return strings.values();
  }
  // Fixed-length strings (quarry's ledger, numpy "S" arrays): null-padded records.
  const size_t width = check_size(H5Tget_size(stored.id()), type_of);
  std::vector<char> buffer(count * width);
  check_in(object, H5Aread(attr.id(), stored.id(), buffer.data()), what);
  return unpack_fixed(buffer, width, count);
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  auto values = read_strings_attribute(object, name);
  if (values.size() != 1)
    throw InputError(file_name_of(object), "attribute " + name, "is not a single string");
  return values.front();
}

void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(check(H5Screate(H5S_SCALAR), "creating a scalar dataspace"));
  Handle attr = create_fresh(object, name, type, space.id());
  check_in(object, H5Awrite(attr.id(), type, value), "writing attribute '" + name + "'");
}

void read_numeric_attribute(hid_t object, const std::string& name, hid_t type, void* value) {
  Handle attr = open_attribute(object, name);
  check_in(object, H5Aread(attr.id(), type, value), "reading attribute '" + name + "'");
}

void write_numeric_array_attribute(hid_t object, const std::string& name, hid_t type,
                                   const std::vector<hsize_t>& dims, const void* values) {
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     "creating an attribute dataspace"));
  Handle attr = create_fresh(object, name, type, space.id());
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  // An empty array: HDF5 refuses a null buffer even for 0 values.
  if (count > 0)
    check_in(object, H5Awrite(attr.id(), type, values), "writing attribute '" + name + "'");
}

std::vector<hsize_t> numeric_array_attribute_dims(hid_t object, const std::string& name) {
  Handle attr = open_attribute(object, name);
  const std::string type_of = "reading the type of attribute " + name;
  Handle stored(check_in(object, H5Aget_type(attr.id()), type_of));
  const auto type_class =
      static_cast<H5T_class_t>(check_in(object, H5Tget_class(stored.id()), type_of));
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw InputError(file_name_of(object), "attribute " + name,
                     "holds " + describe_type(stored.id()) + ", not numbers");
  Handle space(check_in(object, H5Aget_space(attr.id()), "reading the shape of attribute " + name));
  const std::string what = "reading the shape of attribute " + name;
  const auto rank = check_in(object, H5Sget_simple_extent_ndims(space.id()), what);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0) check_in(object, H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), what);
  return dims;
}

void read_numeric_array_attribute(hid_t object, const std::string& name, hid_t type, void* values) {
  read_numeric_attribute(object, name, type, values);
}

}  // namespace quarry::h5
