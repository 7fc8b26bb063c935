#include "h5/heap_references.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>

namespace quarry::h5 {

namespace {

// Format constants of the global heap (HDF5 file format specification, "Global Heap").
constexpr size_t kReferenceBytes = 4 + 8 + 4;  // length, collection address, object index
constexpr size_t kCollectionHeaderBytes = 4 + 1 + 3 + 8;  // "GCOL", version, reserved, size
constexpr size_t kObjectHeaderBytes = 2 + 2 + 4 + 8;      // index, references, reserved, size

template <class T>
T load(const char* bytes) {  // little-endian, as every HDF5 file on x86 and ARM stores it
  T value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

bool read_at(std::ifstream& in, std::uint64_t offset, std::vector<char>& bytes) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<size_t>(in.gcount()) == bytes.size();
}

// Object index -> object size of the collection at `address`, walked the way HDF5 1.10 walks it
// (H5HG__cache_heap_deserialize); nullopt when HDF5 could not walk it safely: no collection
// there, or an object that does not fit the collection (HDF5's walk would wrap around and spin).
using Collection = std::map<std::uint16_t, std::uint64_t>;
std::optional<Collection> read_collection(std::ifstream& in, std::uint64_t address,
                                          std::uint64_t file_bytes) {
  std::vector<char> header(kCollectionHeaderBytes);
  if (address > file_bytes || !read_at(in, address, header) ||
      std::memcmp(header.data(), "GCOL", 4) != 0)
    return std::nullopt;
  const auto size = load<std::uint64_t>(header.data() + 8);
  if (size < kCollectionHeaderBytes || size > file_bytes - address) return std::nullopt;
  std::vector<char> body(size - kCollectionHeaderBytes);
  if (!read_at(in, address + kCollectionHeaderBytes, body)) return std::nullopt;
  Collection objects;
  for (size_t at = 0; at + kObjectHeaderBytes <= body.size();) {  // a smaller tail is free space
    const auto index = load<std::uint16_t>(body.data() + at);
    const auto bytes = load<std::uint64_t>(body.data() + at + 8);
    // Index 0 is free space, its size counting its header; an object is padded to 8 bytes.
    const std::uint64_t need = index == 0 ? bytes : kObjectHeaderBytes + (bytes + 7) / 8 * 8;
    if (need == 0 || bytes > body.size() || need > body.size() - at) return std::nullopt;
    if (index != 0) objects[index] = bytes;
    at += need;
  }
  return objects;
}

bool plain_layout(const Dataset& dataset) {
  const hid_t id = dataset.id();
  const std::string what = "reading the layout of " + dataset.name();
  Handle dcpl(check_in(id, H5Dget_create_plist(id), what));
  Handle file(check_in(id, H5Iget_file_id(id), what));
  Handle fcpl(check_in(id, H5Fget_create_plist(file.id()), what));
  size_t address_bytes = 0, length_bytes = 0;
  hsize_t user_block = 1;
  check_in(id, H5Pget_sizes(fcpl.id(), &address_bytes, &length_bytes), what);
  check_in(id, H5Pget_userblock(fcpl.id(), &user_block), what);
  return check_in(id, H5Pget_layout(dcpl.id()), what) == H5D_CONTIGUOUS && address_bytes == 8 &&
         length_bytes == 8 && user_block == 0;
}

}  // namespace

void check_heap_collections(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  if (!in || in.tellg() <= 0) return;  // not a readable file: opening it says so
  const auto file_bytes = static_cast<std::uint64_t>(in.tellg());
  // A collection starts with "GCOL" and version 1; HDF5 checks both before it walks one, so a
  // collection whose signature is damaged is refused by HDF5 itself.
  static constexpr char kSignature[] = {'G', 'C', 'O', 'L', 1, 0, 0, 0};
  constexpr size_t kOverlap = sizeof kSignature - 1;  // a signature across two blocks
  std::vector<std::uint64_t> collections;
  std::vector<char> block(std::size_t{1} << 20);
  for (std::uint64_t start = 0; start < file_bytes; start += block.size() - kOverlap) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(start));
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (in.gcount() <= 0) break;
    const auto end = block.begin() + in.gcount();
    for (auto hit = std::search(block.begin(), end, std::begin(kSignature), std::end(kSignature));
         hit != end;
         hit = std::search(hit + 1, end, std::begin(kSignature), std::end(kSignature))) {
      const std::uint64_t address = start + static_cast<std::uint64_t>(hit - block.begin());
      if (collections.empty() || collections.back() < address) collections.push_back(address);
    }
    if (start + static_cast<std::uint64_t>(in.gcount()) >= file_bytes) break;
  }
  for (const auto address : collections)
    if (!read_collection(in, address, file_bytes))
      throw InputError(path.string(), fmt::format("global heap collection at byte {}", address),
                       "is damaged (an object does not fit it): HDF5 would hang or crash reading "
                       "its strings",
                       "restore the file from a backup, or write it again");
}

void check_heap_references(const Dataset& dataset) {
  const hsize_t rows = dataset.rows();
  // HADDR_UNDEF is both "not contiguous or not allocated" and HDF5's failure value: either way
  // there is no block of references to check here, and reading the strings reports a failure.
  const haddr_t offset = H5Dget_offset(dataset.id());
  if (offset == HADDR_UNDEF) (void)H5Eclear2(H5E_DEFAULT);
  if (rows == 0 || offset == HADDR_UNDEF || !plain_layout(dataset)) return;
  std::ifstream in(dataset.file(), std::ios::binary);
  in.seekg(0, std::ios::end);
  const auto file_bytes = static_cast<std::uint64_t>(in.tellg());
  // check_extent_fits has made sure rows x 16 bytes are stored, so this allocation is real.
  std::vector<char> references(rows * kReferenceBytes);
  if (!read_at(in, offset, references))
    throw InputError(dataset.file(), dataset.name(), "its strings lie past the end of the file");
  std::map<std::uint64_t, std::optional<Collection>> collections;
  for (hsize_t row = 0; row < rows; ++row) {
    const char* reference = references.data() + row * kReferenceBytes;
    const auto length = load<std::uint32_t>(reference);
    const auto address = load<std::uint64_t>(reference + 4);
    const auto index = load<std::uint32_t>(reference + 12);
    if (address == 0) continue;  // a null string: HDF5 reads nothing
    auto found = collections.find(address);
    if (found == collections.end())
      found = collections.emplace(address, read_collection(in, address, file_bytes)).first;
    const std::optional<Collection>& objects = found->second;
    const bool held = objects && index <= 0xffff && objects->count(index) &&
                      objects->at(static_cast<std::uint16_t>(index)) >= length;
    if (!held)
      throw InputError(dataset.file(), fmt::format("{} row {}", dataset.name(), row),
                       fmt::format("its string ({} bytes, heap collection at {}, object {}) is "
                                   "missing or damaged: the file is damaged",
                                   length, address, index),
                       "restore the file from a backup, or write it again");
  }
}

}  // namespace quarry::h5
