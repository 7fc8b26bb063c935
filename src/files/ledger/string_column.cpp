#include "files/ledger/string_column.hpp"

#include "core/error.hpp"
#include "h5/heap_references.hpp"
#include "h5/strings.hpp"

namespace quarry::ingest {

void write_string_column(h5::File& file, const std::string& name,
                         const std::vector<std::string>& values) {
  const h5::FixedStrings packed = h5::pack_fixed(values);
  h5::Handle type = h5::fixed_utf8_type(packed.width);
  hsize_t count = values.size();
  h5::Handle space(h5::check(H5Screate_simple(1, &count, nullptr), "creating a string dataspace"));
  h5::Handle dcpl(h5::check(H5Pcreate(H5P_DATASET_CREATE), "creating a dataset property list"));
  // No modification times: identical ledgers are identical files.
  h5::check(H5Pset_obj_track_times(dcpl.id(), 0), "leaving modification times out of " + name);
  h5::Handle dataset(h5::check_in(file.id(),
                                  H5Dcreate2(file.id(), name.c_str(), type.id(), space.id(),
                                             H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                                  "creating " + name));
  if (values.empty()) return;  // HDF5 refuses a null buffer even for zero values
  h5::check_in(
      file.id(),
      H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, packed.bytes.data()),
      "writing " + name);
}

std::vector<std::string> read_string_column(const h5::File& file, const std::string& name) {
  h5::Dataset dataset = file.open_dataset(name);
  const std::string type_of = "reading the type of " + name;
  h5::Handle stored(h5::check_in(file.id(), H5Dget_type(dataset.id()), type_of));
  if (h5::check_in(file.id(), H5Tget_class(stored.id()), type_of) != H5T_STRING)
    throw InputError(file.path().string(), name,
                     "holds " + dataset.stored_type() + ", not strings");
  const auto dims = dataset.dims();
  if (dims.size() != 1) throw InputError(file.path().string(), name, "is not one-dimensional");
  const auto count = static_cast<size_t>(dims[0]);
  if (count == 0) return {};
  const std::string what = "reading " + name;
  if (h5::check_in(file.id(), H5Tis_variable_str(stored.id()), type_of) > 0) {
    // Ledgers of earlier versions and h5py's: make sure HDF5 can follow every heap reference.
    h5::check_heap_references(dataset);
    h5::Handle space(h5::check_in(file.id(), H5Dget_space(dataset.id()), what));
    h5::VlenStrings strings(count, space.id());
    h5::check_in(
        file.id(),
        H5Dread(dataset.id(), strings.type().id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data()),
        what);
    return strings.values();
  }
  const size_t width = h5::check_size(H5Tget_size(stored.id()), type_of);
  std::vector<char> bytes(count * width);  // open_dataset checked the file holds this much
  h5::check_in(file.id(),
               H5Dread(dataset.id(), stored.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
               what);
  return h5::unpack_fixed(bytes, width, count);
}

}  // namespace quarry::ingest
