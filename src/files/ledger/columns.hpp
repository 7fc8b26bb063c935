#pragma once
// Numeric datasets of the ledger: written whole, read whole with their shape checked against the
// contract, so a damaged ledger is an InputError naming the file and dataset.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "h5/file.hpp"

namespace quarry::ingest {

// A dataset of values.size() / width rows of `row_shape` (empty: one value per row).
template <class T>
void write_column(h5::File& file, const std::string& name, const std::vector<T>& values,
                  const std::vector<hsize_t>& row_shape = {}) {
  hsize_t width = 1;
  for (auto d : row_shape) width *= d;
  const hsize_t n = values.size() / width;
  std::vector<hsize_t> dims{n};
  dims.insert(dims.end(), row_shape.begin(), row_shape.end());
  file.create_dataset<T>(name, dims).template write_rows<T>(0, n, values);
}

// Reads a dataset whose rows have `row_shape` (empty: a 1-d column).
template <class T>
std::vector<T> read_column(const h5::File& file, const std::string& name,
                           const std::vector<hsize_t>& row_shape = {}) {
  auto dataset = file.open_dataset(name);
  auto dims = dataset.dims();
  const bool shaped = dims.size() == row_shape.size() + 1 &&
                      std::equal(row_shape.begin(), row_shape.end(), dims.begin() + 1);
  if (!dataset.holds<T>() || !shaped)
    throw InputError(file.path().string(), name,
                     fmt::format("holds {} of shape [{}], the ledger contract says {} [N{}{}]",
                                 dataset.stored_type(), fmt::join(dims, ","), h5::type_name<T>(),
                                 row_shape.empty() ? "" : ",", fmt::join(row_shape, ",")));
  return dataset.read_all<T>();
}

inline void check_length(const h5::File& file, const std::string& name, std::size_t actual,
                         std::size_t expected) {
  if (actual != expected)
    throw InputError(file.path().string(), name,
                     fmt::format("has {} rows where {} are expected", actual, expected));
}

}  // namespace quarry::ingest
