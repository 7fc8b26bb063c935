#pragma once
// One-dimensional datasets of UTF-8 strings: the ledger keeps per-label sources and per-file
// names and digests this way. They are written fixed-length (as wide as the longest value) so a
// reader never reaches HDF5's global heap, where a damaged variable-length string crashes HDF5
// 1.10; variable-length columns (earlier ledgers, h5py's str arrays) are still read, after their
// heap references are checked. The h5/ wrapper only has string attributes, whose size HDF5
// limits to 64 KiB; a ledger column can be far larger.
#include <string>
#include <vector>

#include "h5/file.hpp"

namespace quarry::ingest {

void write_string_column(h5::File& file, const std::string& name,
                         const std::vector<std::string>& values);
std::vector<std::string> read_string_column(const h5::File& file, const std::string& name);

}  // namespace quarry::ingest
