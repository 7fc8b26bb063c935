#pragma once
// An HDF5 file: open read-only (inputs are never modified; with MPI-IO a read-write open would
// also disable the chunk cache) or create; look up and create datasets and groups.
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "h5/attribute.hpp"
#include "h5/dataset.hpp"
#include "h5/property.hpp"

namespace quarry::h5 {

// Dataset creation options. Chunking is along the first dimension only (items), so a row
// range maps to whole chunks.
struct Layout {
  hsize_t chunk_rows = 0;  // 0: contiguous
  int gzip_level = 0;      // 0: uncompressed (reads at memory speed; gzip runs ~0.15 GB/s/core)
};

class File {
 public:
  // A missing file or one that is not HDF5 is bad input (InputError names the path).
  static File open_read_only(const std::filesystem::path& path,
                             const FileAccess& access = FileAccess::serial());
  // Creates or truncates `path`: callers write to an AtomicOutput temporary, never in place.
  static File create(const std::filesystem::path& path,
                     const FileAccess& access = FileAccess::serial());

  hid_t id() const { return handle_.id(); }
  const std::filesystem::path& path() const { return path_; }

  bool exists(const std::string& name) const;           // a link at this path ("/a/b" walks groups)
  Dataset open_dataset(const std::string& name) const;  // InputError when missing
  template <class T>
  Dataset create_dataset(const std::string& name, const std::vector<hsize_t>& dims,
                         const Layout& layout = {}) {
    return create_dataset_of_type(name, native_type<T>(), dims, layout);
  }
  void create_group(const std::string& name);
  void flush();
  // Closes now, so a failure to write what HDF5 still holds is an error (H5Error naming the
  // file) rather than a lost one in a destructor: writers close before they publish.
  void close();

  File(File&&) = default;
  File& operator=(File&&) = default;
  ~File();

 private:
  File(Handle handle, std::filesystem::path path, bool parallel)
      : handle_(std::move(handle)), path_(std::move(path)), parallel_(parallel) {}
  Dataset create_dataset_of_type(const std::string& name, hid_t type,
                                 const std::vector<hsize_t>& dims, const Layout& layout);
  static File open(const std::filesystem::path& path, const FileAccess& access, unsigned flags);

  Handle handle_;
  std::filesystem::path path_;
  bool parallel_ = false;                               // opened with MPI-IO
  int unwinding_at_open_ = std::uncaught_exceptions();  // see ~File
};

}  // namespace quarry::h5
