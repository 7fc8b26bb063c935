#include "h5/strings.hpp"

#include <algorithm>

#include "h5/error.hpp"

namespace quarry::h5 {

Handle vlen_utf8_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"));
  check(H5Tset_size(type.id(), H5T_VARIABLE), "making a variable-length string type");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting UTF-8");
  return type;
}

Handle fixed_utf8_type(size_t width) {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"));
  check(H5Tset_size(type.id(), std::max<size_t>(width, 1)), "sizing a fixed-length string type");
  check(H5Tset_strpad(type.id(), H5T_STR_NULLPAD), "padding strings with NULs");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting UTF-8");
  return type;
}

FixedStrings pack_fixed(const std::vector<std::string>& values) {
  FixedStrings packed;
  for (const auto& value : values) packed.width = std::max(packed.width, value.size());
  packed.bytes.assign(values.size() * packed.width, '\0');
  for (size_t i = 0; i < values.size(); ++i)
    std::copy(values[i].begin(), values[i].end(), packed.bytes.begin() + i * packed.width);
  return packed;
}

std::vector<std::string> unpack_fixed(const std::vector<char>& bytes, size_t width, size_t count) {
  std::vector<std::string> values;
  values.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const char* record = bytes.data() + i * width;
    values.emplace_back(record, std::find(record, record + width, '\0'));
  }
  return values;
}

VlenStrings::~VlenStrings() {
  // A destructor cannot throw: a failed reclaim only leaks the strings' memory, so it is ignored
  // (and its error stack cleared) on purpose.
#if H5_VERSION_GE(1, 12, 0)
  const herr_t status = H5Treclaim(type_.id(), space_, H5P_DEFAULT, pointers_.data());
#else
  const herr_t status = H5Dvlen_reclaim(type_.id(), space_, H5P_DEFAULT, pointers_.data());
#endif
  if (status < 0) (void)H5Eclear2(H5E_DEFAULT);
}

std::vector<std::string> VlenStrings::values() const {
  std::vector<std::string> values;
  values.reserve(pointers_.size());
  for (const char* p : pointers_) values.emplace_back(p ? p : "");
  return values;
}

}  // namespace quarry::h5
