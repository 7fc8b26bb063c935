#include "h5/file.hpp"

#include <algorithm>

namespace quarry::h5 {

namespace {
// Link creation that makes the missing groups of a path on the way.
Handle intermediate_groups() {
  Handle lcpl(check(H5Pcreate(H5P_LINK_CREATE), "creating a link property list"));
  check(H5Pset_create_intermediate_group(lcpl.id(), 1), "creating groups along link paths");
  return lcpl;
}
}  // namespace

File File::open(const std::filesystem::path& path, const FileAccess& access, unsigned flags) {
  install_error_handling();
  if (!std::filesystem::exists(path)) throw InputError(path.string(), "", "no such file");
  if (std::filesystem::is_directory(path))
    throw InputError(path.string(), "", "is a folder, not an HDF5 file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    (void)H5Eclear2(H5E_DEFAULT);
    throw InputError(path.string(), "", "is not an HDF5 file");
  }
  Handle fapl = access.make();
  hid_t id = H5Fopen(path.c_str(), flags, fapl.id());
  if (id < 0) throw InputError(path.string(), "", "cannot be opened: " + error_stack_text());
  return File(Handle(id), path, access.parallel());
}

File File::open_read_only(const std::filesystem::path& path, const FileAccess& access) {
  return open(path, access, H5F_ACC_RDONLY);
}

File File::create(const std::filesystem::path& path, const FileAccess& access) {
  install_error_handling();
  Handle fapl = access.make();
  // No modification time on the root group either (see create_dataset_of_type).
  Handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), "creating a file creation property list"));
  check(H5Pset_obj_track_times(fcpl.id(), 0), "leaving modification times out of " + path.string());
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
  return File(Handle(check(id, "creating " + path.string())), path, access.parallel());
}

bool File::exists(const std::string& name) const {
  // H5Lexists needs every intermediate group to exist: walk the path one part at a time.
  std::string prefix;
  size_t start = name.front() == '/' ? 1 : 0;
  while (start <= name.size()) {
    size_t end = std::min(name.find('/', start), name.size());
    prefix += "/" + name.substr(start, end - start);
    const htri_t found = H5Lexists(id(), prefix.c_str(), H5P_DEFAULT);
    // Negative when a part of the path is no group (a dataset): nothing lies below it, which is
    // what the caller asks about; open_dataset then says the dataset is missing.
    if (found < 0) (void)H5Eclear2(H5E_DEFAULT);
    if (found <= 0) return false;
    start = end + 1;
  }
  return true;
}

Dataset File::open_dataset(const std::string& name) const {
  if (!exists(name)) throw InputError(path_.string(), name, "dataset is missing");
  hid_t id = H5Dopen2(this->id(), name.c_str(), H5P_DEFAULT);
  if (id < 0)
    throw InputError(path_.string(), name, "is not a readable dataset: " + error_stack_text());
  Dataset dataset(Handle(id), name, path_.string());
  // An input's extent is checked before anyone allocates for it; a file being written has
  // datasets larger than what it holds so far.
  unsigned intent = 0;
  check(H5Fget_intent(this->id(), &intent), "reading the access mode of " + path_.string());
  if (!(intent & H5F_ACC_RDWR)) {
    hsize_t bytes = 0;
    check(H5Fget_filesize(this->id(), &bytes), "reading the size of " + path_.string());
    dataset.check_extent_fits(bytes);
  }
  return dataset;
}

Dataset File::create_dataset_of_type(const std::string& name, hid_t type,
                                     const std::vector<hsize_t>& dims, const Layout& layout) {
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     "creating the dataspace of " + name + " in " + path_.string()));
  Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "creating a dataset property list"));
  if (layout.chunk_rows > 0 && !dims.empty() && dims[0] > 0) {
    std::vector<hsize_t> chunk = dims;
    chunk[0] = std::min(layout.chunk_rows, dims[0]);
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()),
          "chunking " + name + " in " + path_.string());
    if (layout.gzip_level > 0)
      check(H5Pset_deflate(dcpl.id(), static_cast<unsigned>(layout.gzip_level)),
            "compressing " + name + " in " + path_.string());
  }
  // Never write fill values: every row is written once, and filling first doubles the I/O.
  check(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_NEVER), "leaving fill values out of " + name);
  // No modification times in object headers: the same content gives the same bytes (a resumed
  // run's file is byte-identical to an uninterrupted one).
  check(H5Pset_obj_track_times(dcpl.id(), 0), "leaving modification times out of " + name);
  Handle lcpl = intermediate_groups();
  hid_t dataset =
      H5Dcreate2(id(), name.c_str(), type, space.id(), lcpl.id(), dcpl.id(), H5P_DEFAULT);
  return Dataset(Handle(check(dataset, "creating dataset " + name + " in " + path_.string())), name,
                 path_.string());
}

void File::create_group(const std::string& name) {
  Handle lcpl = intermediate_groups();
  Handle gcpl(check(H5Pcreate(H5P_GROUP_CREATE), "creating a group property list"));
  check(H5Pset_obj_track_times(gcpl.id(), 0), "leaving modification times out of " + name);
  Handle group(check(H5Gcreate2(id(), name.c_str(), lcpl.id(), gcpl.id(), H5P_DEFAULT),
                     "creating group " + name + " in " + path_.string()));
}

void File::flush() {
  check(H5Fflush(id(), H5F_SCOPE_GLOBAL), "flushing " + path_.string());
}

File::~File() {
  // An MPI-IO file left by an error is not closed: after a failed write the ranks' metadata
  // caches disagree, and HDF5's collective close then deadlocks (one rank waits in a barrier,
  // another in a broadcast). The process is about to exit; the kernel closes the file.
  if (parallel_ && std::uncaught_exceptions() > unwinding_at_open_) {
    handle_.release();
    note_failed_close();
  }
}

void File::close() {
  const hid_t id = handle_.release();
  if (id < 0 || H5Fclose(id) >= 0) return;
  note_failed_close();
  check(-1, "closing " + path_.string());
}

}  // namespace quarry::h5
