#pragma once
// One-dimensional datasets of variable-length UTF-8 strings (as h5py writes str arrays): the
// ledger keeps per-label sources and per-file names and digests this way. The h5/ wrapper only
// has string attributes, whose size HDF5 limits to 64 KiB; a ledger column can be far larger.
#include <string>
#include <vector>

#include "h5/file.hpp"

namespace quarry::ingest {

void write_string_column(h5::File& file, const std::string& name,
                         const std::vector<std::string>& values);
std::vector<std::string> read_string_column(const h5::File& file, const std::string& name);

}  // namespace quarry::ingest
