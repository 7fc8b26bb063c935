// npy importer: a NumPy .npy array of uint8 images (N,C,H,W) / (N,H,W) or float32 features
// (N,D), with an optional .npy of int32/int64 labels. The header is parsed here: it is a tiny
// Python dict literal, not worth a dependency.
#include <fmt/format.h>

#include <bit>
#include <cctype>
#include <fstream>
#include <limits>
#include <string_view>

#include "core/error.hpp"
#include "pool/import.hpp"
#include "pool/import_util.hpp"

namespace quarry::pool {

namespace {
namespace fs = std::filesystem;

// '<' dtypes are little-endian; reading them straight into memory needs a little-endian host.
static_assert(std::endian::native == std::endian::little, "the npy reader assumes little-endian");

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr const char* kSaveHint = "save it with numpy.save(path, numpy.ascontiguousarray(array))";

struct NpyHeader {
  std::string descr;  // dtype, e.g. '|u1', '<f4'
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
};

std::string describe_shape(const std::vector<std::uint64_t>& shape) {
  return fmt::format("({}{})", fmt::join(shape, ", "), shape.size() == 1 ? "," : "");
}

// Parses the header dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (10, 3), }
class HeaderParser {
 public:
  HeaderParser(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  NpyHeader parse() {
    NpyHeader header;
    bool seen_descr = false, seen_order = false, seen_shape = false;
    expect('{');
    while (!consume('}')) {
      const std::string key = parse_string();
      expect(':');
      if (key == "descr") {
        header.descr = parse_string();
        seen_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = parse_bool();
        seen_order = true;
      } else if (key == "shape") {
        header.shape = parse_tuple();
        seen_shape = true;
      } else {
        fail("has an unknown key '" + key + "'");
      }
      if (!consume(',')) {
        expect('}');
        break;
      }
    }
    if (!seen_descr || !seen_order || !seen_shape)
      fail("lacks one of the keys 'descr', 'fortran_order', 'shape'");
    return header;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, "header", problem + " (header: " + std::string(text_) + ")");
  }
  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool consume(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) return ++at_, true;
    return false;
  }
  void expect(char c) {
    if (!consume(c)) fail(fmt::format("is not a Python dict literal (expected '{}')", c));
  }
  std::string parse_string() {
    skip_space();
    const char quote = at_ < text_.size() ? text_[at_] : '\0';
    if (quote != '\'' && quote != '"') fail("is not a Python dict literal (expected a string)");
    const std::size_t end = text_.find(quote, at_ + 1);
    if (end == std::string_view::npos) fail("has an unterminated string");
    std::string value(text_.substr(at_ + 1, end - at_ - 1));
    at_ = end + 1;
    return value;
  }
  bool parse_bool() {
    skip_space();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}})
      if (text_.substr(at_).starts_with(word)) {
        at_ += std::string_view(word).size();
        return value;
      }
    fail("has a 'fortran_order' that is neither True nor False");
  }
  std::vector<std::uint64_t> parse_tuple() {
    std::vector<std::uint64_t> values;
    expect('(');
    while (!consume(')')) {
      skip_space();
      const std::size_t start = at_;
      std::uint64_t value = 0;
      for (; at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_])); ++at_) {
        const auto digit = static_cast<std::uint64_t>(text_[at_] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
          fail("has a shape too large to be real");
        value = value * 10 + digit;
      }
      if (at_ == start) fail("has a 'shape' that is not a tuple of sizes");
      values.push_back(value);
      if (!consume(',')) {
        expect(')');
        break;
      }
    }
    return values;
  }

  std::string_view text_;
  std::string file_;
  std::size_t at_ = 0;
};

// An opened .npy file: header parsed and the data length checked against its shape, so reads
// of the data can only fail on I/O errors.
class NpyFile {
 public:
  explicit NpyFile(const fs::path& path) : name_(path.string()) {
    if (!fs::is_regular_file(path)) throw InputError(name_, "", "does not exist");
    in_.open(path, std::ios::binary);
    if (!in_) throw InputError(name_, "", "cannot be opened");
    read_header();
    data_bytes_ = fs::file_size(path) - data_offset_;
  }

  const std::string& name() const { return name_; }
  const NpyHeader& header() const { return header_; }
  std::uint64_t count() const { return header_.shape.empty() ? 0 : header_.shape[0]; }

  // Refuses a file whose data is not exactly `count` items of `item_bytes` bytes.
  void check_size(std::uint64_t item_bytes) const {
    std::uint64_t needed = 0;
    const bool overflow = __builtin_mul_overflow(count(), item_bytes, &needed);
    if (overflow || needed > data_bytes_)
      throw InputError(name_, "",
                       fmt::format("ends after {} bytes of data; shape {} needs {}", data_bytes_,
                                   describe_shape(header_.shape),
                                   overflow ? "more than 2^64" : std::to_string(needed)),
                       "the file is truncated; save or copy it again");
    if (needed < data_bytes_)
      throw InputError(name_, "",
                       fmt::format("holds {} bytes of data; shape {} needs only {}", data_bytes_,
                                   describe_shape(header_.shape), needed));
  }

  template <class T>
  void read(std::span<T> out) {
    if (!in_.read(reinterpret_cast<char*>(out.data()),
                  static_cast<std::streamsize>(out.size_bytes())))
      throw InputError(name_, "", "cannot be read");
  }

 private:
  void read_header() {
    // magic, major and minor version, then the header length: 2 bytes (v1) or 4 (v2, v3).
    char start[10];
    if (!in_.read(start, sizeof start) || std::string_view(start, kMagic.size()) != kMagic)
      throw InputError(name_, "", "is not a .npy file (it does not start with \\x93NUMPY)");
    const auto major = static_cast<unsigned char>(start[6]);
    if (major < 1 || major > 3)
      throw InputError(name_, "", fmt::format("has .npy format version {}; 1-3 are known", major));
    std::uint32_t length = byte(start[8]) | byte(start[9]) << 8;
    data_offset_ = 10;
    if (major >= 2) {
      char more[2];
      if (!in_.read(more, sizeof more)) throw InputError(name_, "header", "is cut short");
      length |= byte(more[0]) << 16 | byte(more[1]) << 24;
      data_offset_ = 12;
    }
    std::string text(length, '\0');
    if (!in_.read(text.data(), length)) throw InputError(name_, "header", "is cut short");
    data_offset_ += length;
    header_ = HeaderParser(text, name_).parse();
    if (header_.fortran_order)
      throw InputError(name_, "", "is stored in Fortran (column-major) order", kSaveHint);
  }
  static std::uint32_t byte(char c) { return static_cast<unsigned char>(c); }

  std::string name_;
  std::ifstream in_;
  NpyHeader header_;
  std::uint64_t data_offset_ = 0;
  std::uint64_t data_bytes_ = 0;
};

// The item shape of the data array: its dtype and rank decide images or features.
ItemShape item_shape(const NpyFile& npy) {
  const NpyHeader& header = npy.header();
  const auto& shape = header.shape;
  if (header.descr == "|u1" && (shape.size() == 4 || shape.size() == 3))
    return checked_item_shape(npy.name(), npy.count(), Kind::images,
                              shape.size() == 4
                                  ? std::vector{shape[1], shape[2], shape[3]}
                                  : std::vector<std::uint64_t>{1, shape[1], shape[2]});
  if (header.descr == "<f4" && shape.size() == 2)
    return checked_item_shape(npy.name(), npy.count(), Kind::features, {shape[1]});
  if (header.descr == "|u1" || header.descr == "<f4")
    throw InputError(npy.name(), "",
                     fmt::format("has shape {}; uint8 images are (N,C,H,W) or (N,H,W), float32 "
                                 "features are (N,D)",
                                 describe_shape(shape)));
  throw InputError(npy.name(), "",
                   fmt::format("has dtype '{}'; pools hold uint8 images ('|u1') or float32 "
                               "features ('<f4')",
                               header.descr),
                   "convert it, e.g. numpy.save(path, array.astype(numpy.float32))");
}

// Reads one label per item from an int32 or int64 (N,) array.
std::vector<std::int32_t> read_labels(const fs::path& path, const NpyFile& items) {
  NpyFile npy(path);
  const std::string& descr = npy.header().descr;
  if (descr != "<i4" && descr != "<i8")
    throw InputError(
        npy.name(), "",
        fmt::format("has dtype '{}'; labels are int32 ('<i4') or int64 ('<i8')", descr));
  if (npy.header().shape.size() != 1)
    throw InputError(npy.name(), "",
                     fmt::format("has shape {}; labels are one per item (N,)",
                                 describe_shape(npy.header().shape)));
  check_label_count(items.name(), items.count(), npy.name(), npy.count());
  npy.check_size(descr == "<i4" ? 4 : 8);
  std::vector<std::int32_t> labels(npy.count());
  if (descr == "<i4") {
    npy.read(std::span(labels));
    return labels;
  }
  std::vector<std::int64_t> wide(npy.count());
  npy.read(std::span(wide));
  for (std::size_t row = 0; row < wide.size(); ++row) {
    if (wide[row] < kUnknownLabel || wide[row] > std::numeric_limits<std::int32_t>::max())
      throw InputError(npy.name(), fmt::format("row {}", row),
                       fmt::format("label {} is outside -1..2^31-1", wide[row]));
    labels[row] = static_cast<std::int32_t>(wide[row]);
  }
  return labels;
}

template <class T>
void write_npy_pool(NpyFile& items, PoolSpec spec, std::span<const std::int32_t> labels,
                    const ImportRequest& request) {
  PoolWriter writer(request.out, request.overwrite, std::move(spec));
  append_in_batches<T>(
      writer, request.first_id, labels,
      [&](std::uint64_t, std::uint64_t, std::span<T> values) { items.read(values); });
  writer.finish();
}
}  // namespace

void import_npy(const ImportRequest& request) {
  NpyFile items(request.input);
  PoolSpec spec;
  spec.shape = item_shape(items);
  spec.count = items.count();
  spec.source = "npy " + request.input.string();
  items.check_size(spec.shape.bytes());
  std::vector<std::int32_t> labels;
  if (!request.labels.empty()) labels = read_labels(request.labels, items);
  set_classes(spec, request.labels, labels, request.classes);
  if (spec.shape.kind == Kind::images)
    write_npy_pool<std::uint8_t>(items, std::move(spec), labels, request);
  else
    write_npy_pool<float>(items, std::move(spec), labels, request);
}

}  // namespace quarry::pool
