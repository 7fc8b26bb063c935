#pragma once
// Variable-length strings live in HDF5's global heap; a dataset of them holds references
// (length, heap collection address, object index). HDF5 1.10 follows a damaged reference
// without checking it: a collection address past the end of the file or a length of gigabytes
// makes it crash in H5HG_read or spin at 100% CPU, deaf to SIGTERM. These checks read the
// heap collections and the references to them with plain file reads, before HDF5 does.
#include <filesystem>

#include "h5/dataset.hpp"

namespace quarry::h5 {

// InputError naming the file and the byte offset of the first global heap collection in it that
// HDF5 could not walk safely (the file is searched for collection signatures: attributes give no
// way to find the collections they use). Reads the whole file once.
void check_heap_collections(const std::filesystem::path& path);

// InputError naming the file, dataset and row of the first reference that does not point at an
// object of at least its length inside a heap collection within the file. Covers contiguous
// datasets of a file without a user block and with 8-byte addresses and lengths (what HDF5,
// h5py and quarry write by default); other layouts are left to HDF5.
void check_heap_references(const Dataset& dataset);

}  // namespace quarry::h5
