#include "ingest/string_column.hpp"

#include "core/error.hpp"

namespace quarry::ingest {

namespace {
h5::Handle vlen_utf8_type() {
  h5::Handle type(h5::check(H5Tcopy(H5T_C_S1), "copying the string type"));
  h5::check(H5Tset_size(type.id(), H5T_VARIABLE), "making a variable-length string type");
  h5::check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting UTF-8");
  return type;
}
}  // namespace

void write_string_column(h5::File& file, const std::string& name,
                         const std::vector<std::string>& values) {
  h5::Handle type = vlen_utf8_type();
  hsize_t count = values.size();
  h5::Handle space(h5::check(H5Screate_simple(1, &count, nullptr), "creating a string dataspace"));
  h5::Handle dataset(h5::check(H5Dcreate2(file.id(), name.c_str(), type.id(), space.id(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "creating " + name));
  if (values.empty()) return;  // HDF5 refuses a null buffer even for zero values
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.c_str());
  h5::check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            "writing " + name);
}

std::vector<std::string> read_string_column(const h5::File& file, const std::string& name) {
  h5::Dataset dataset = file.open_dataset(name);
  h5::Handle stored(h5::check(H5Dget_type(dataset.id()), "reading the type of " + name));
  if (H5Tget_class(stored.id()) != H5T_STRING || H5Tis_variable_str(stored.id()) <= 0)
    throw InputError(file.path().string(), name,
                     "holds " + dataset.stored_type() + ", not variable-length strings");
  const auto dims = dataset.dims();
  if (dims.size() != 1) throw InputError(file.path().string(), name, "is not one-dimensional");
  std::vector<std::string> values;
  if (dims[0] == 0) return values;
  h5::Handle type = vlen_utf8_type();
  h5::Handle space(h5::check(H5Dget_space(dataset.id()), "reading the shape of " + name));
  std::vector<char*> pointers(dims[0], nullptr);
  h5::check(H5Dread(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            "reading " + name);
  values.reserve(pointers.size());
  for (char* p : pointers) values.emplace_back(p ? p : "");
  H5Dvlen_reclaim(type.id(), space.id(), H5P_DEFAULT, pointers.data());
  return values;
}

}  // namespace quarry::ingest
