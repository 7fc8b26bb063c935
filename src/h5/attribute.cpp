#include "h5/attribute.hpp"

#include <memory>

namespace quarry::h5 {

namespace {
Handle vlen_utf8_string_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"));
  check(H5Tset_size(type.id(), H5T_VARIABLE), "making a variable-length string type");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting UTF-8");
  return type;
}

Handle create_fresh(hid_t object, const std::string& name, hid_t type, hid_t space) {
  if (has_attribute(object, name))
    check(H5Adelete(object, name.c_str()), "replacing attribute '" + name + "'");
  return Handle(check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                      "creating attribute '" + name + "'"));
}

Handle open_attribute(hid_t object, const std::string& name) {
  if (!has_attribute(object, name)) throw H5Error("attribute '" + name + "' is missing");
  return Handle(check(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute " + name));
}

void write_c_strings(hid_t object, const std::string& name, std::vector<const char*> pointers,
                     bool scalar) {
  Handle type = vlen_utf8_string_type();
  hsize_t count = pointers.size();
  Handle space(check(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr),
                     "creating an attribute dataspace"));
  Handle attr = create_fresh(object, name, type.id(), space.id());
  if (pointers.empty()) return;  // an empty array: HDF5 refuses a null buffer even for 0 values
  check(H5Awrite(attr.id(), type.id(), pointers.data()), "writing attribute '" + name + "'");
}
}  // namespace

bool has_attribute(hid_t object, const std::string& name) {
  return check(H5Aexists(object, name.c_str()), "looking up attribute '" + name + "'") > 0;
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  write_c_strings(object, name, {value.c_str()}, true);
}

void write_attribute(hid_t object, const std::string& name,
                     const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  write_c_strings(object, name, std::move(pointers), false);
}

std::vector<std::string> read_strings_attribute(hid_t object, const std::string& name) {
  Handle attr = open_attribute(object, name);
  Handle stored(check(H5Aget_type(attr.id()), "reading the type of attribute " + name));
  if (H5Tget_class(stored.id()) != H5T_STRING)
    throw H5Error("attribute '" + name + "' holds " + describe_type(stored.id()) + ", not strings");
  Handle space(check(H5Aget_space(attr.id()), "reading the shape of attribute " + name));
  auto count = static_cast<size_t>(
      check(H5Sget_simple_extent_npoints(space.id()), "counting attribute values"));
  std::vector<std::string> values;
  if (count == 0) return values;
  if (H5Tis_variable_str(stored.id()) > 0) {
    Handle type = vlen_utf8_string_type();
    std::vector<char*> pointers(count, nullptr);
    check(H5Aread(attr.id(), type.id(), pointers.data()), "reading attribute " + name);
    for (char* p : pointers) values.emplace_back(p ? p : "");
    H5Dvlen_reclaim(type.id(), space.id(), H5P_DEFAULT, pointers.data());
  } else {
    // Fixed-length strings (as written by numpy "S" arrays): null-padded records.
    size_t width = H5Tget_size(stored.id());
    std::vector<char> buffer(count * width);
    check(H5Aread(attr.id(), stored.id(), buffer.data()), "reading attribute " + name);
    for (size_t i = 0; i < count; ++i) {
      std::string value(buffer.data() + i * width, width);
      values.push_back(value.substr(0, value.find('\0')));
    }
  }
  return values;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  auto values = read_strings_attribute(object, name);
  if (values.size() != 1) throw H5Error("attribute '" + name + "' is not a single string");
  return values.front();
}

void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, const void* value) {
  Handle space(check(H5Screate(H5S_SCALAR), "creating a scalar dataspace"));
  Handle attr = create_fresh(object, name, type, space.id());
  check(H5Awrite(attr.id(), type, value), "writing attribute '" + name + "'");
}

void read_numeric_attribute(hid_t object, const std::string& name, hid_t type, void* value) {
  Handle attr = open_attribute(object, name);
  check(H5Aread(attr.id(), type, value), "reading attribute '" + name + "'");
}

}  // namespace quarry::h5
