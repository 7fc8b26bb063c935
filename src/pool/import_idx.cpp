// IDX (LeCun's MNIST format) importers: `idx` for any pair of images/labels files, and
// `fashion-mnist` for the four files of that dataset in one folder.
#include <fmt/format.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "pool/import.hpp"
#include "pool/import_util.hpp"

namespace quarry::pool {

namespace {
namespace fs = std::filesystem;

constexpr std::uint8_t kUnsignedByte = 0x08;  // the only IDX element type that fits a pool
constexpr const char* kFashionHint = "apt-get install dataset-fashion-mnist";

// An IDX file opened through zlib, which reads gzip-compressed and plain files alike. The
// header is read on construction; the data is then read in order, in pieces of any size.
class IdxReader {
 public:
  explicit IdxReader(const fs::path& path);

  const std::string& name() const { return name_; }
  const std::vector<std::uint64_t>& dims() const { return dims_; }
  // Fills `out` with the next bytes of data; a file that ends early is an InputError.
  void read(std::span<std::uint8_t> out);
  // Bytes after the data mean the header does not describe the file: refused, not ignored.
  void expect_end();

 private:
  std::size_t read_some(std::span<std::uint8_t> out);
  std::uint64_t expected_bytes() const;

  std::string name_;
  std::unique_ptr<gzFile_s, decltype(&gzclose)> file_{nullptr, gzclose};
  std::vector<std::uint64_t> dims_;
  std::uint64_t consumed_ = 0;  // bytes read so far, header included
};

IdxReader::IdxReader(const fs::path& path) : name_(path.string()) {
  if (!fs::is_regular_file(path)) throw InputError(name_, "", "does not exist");
  file_.reset(gzopen(path.c_str(), "rb"));
  if (!file_) throw InputError(name_, "", std::string("cannot be opened: ") + std::strerror(errno));
  std::uint8_t magic[4];
  read(magic);
  if (magic[0] != 0 || magic[1] != 0)
    throw InputError(name_, "header", "is not an IDX file (it does not start with two zero bytes)");
  if (magic[2] != kUnsignedByte)
    throw InputError(name_, "header",
                     fmt::format("holds IDX element type {:#04x}; only unsigned bytes ({:#04x}) "
                                 "are supported",
                                 magic[2], kUnsignedByte));
  for (int d = 0; d < magic[3]; ++d) {
    std::uint8_t size[4];
    read(size);
    dims_.push_back(std::uint64_t{size[0]} << 24 | std::uint64_t{size[1]} << 16 |
                    std::uint64_t{size[2]} << 8 | std::uint64_t{size[3]});
  }
}

std::uint64_t IdxReader::expected_bytes() const {
  // Sizes are checked (checked_item_shape) before the data is read, so this cannot overflow
  // for any file we get that far with; while reading the header it only feeds the message.
  std::uint64_t bytes = 4 + 4 * dims_.size();
  std::uint64_t data = 1;
  for (std::uint64_t dim : dims_) data *= dim;
  return bytes + data;
}

std::size_t IdxReader::read_some(std::span<std::uint8_t> out) {
  constexpr std::size_t kMaxRead = std::size_t{1} << 30;  // gzread takes an unsigned int
  std::size_t done = 0;
  while (done < out.size()) {
    const auto want = static_cast<unsigned>(std::min(kMaxRead, out.size() - done));
    const int got = gzread(file_.get(), out.data() + done, want);
    if (got < 0) {
      int code = Z_OK;
      throw InputError(name_, "", std::string("cannot be read: ") + gzerror(file_.get(), &code));
    }
    if (got == 0) break;  // end of file (zlib also ends here on a truncated gzip stream)
    done += static_cast<std::size_t>(got);
  }
  consumed_ += done;
  return done;
}

void IdxReader::read(std::span<std::uint8_t> out) {
  if (read_some(out) == out.size()) return;
  throw InputError(name_, "", fmt::format("ends after {} of {} bytes", consumed_, expected_bytes()),
                   "the file is truncated; download or copy it again");
}

void IdxReader::expect_end() {
  std::uint8_t extra[1];
  if (read_some(extra) == 0) return;
  throw InputError(name_, "",
                   fmt::format("is longer than its header says ({} bytes)", expected_bytes()));
}

// The shape of one image: N,H,W files hold gray images (C = 1), N,C,H,W files hold C channels.
ItemShape image_shape(const IdxReader& images) {
  const auto& dims = images.dims();
  if (dims.size() == 3)
    return checked_item_shape(images.name(), dims[0], Kind::images, {1, dims[1], dims[2]});
  if (dims.size() == 4)
    return checked_item_shape(images.name(), dims[0], Kind::images, {dims[1], dims[2], dims[3]});
  throw InputError(
      images.name(), "header",
      fmt::format("has {} dimensions; an images file has 3 (N,H,W) or 4 (N,C,H,W)", dims.size()));
}

// Reads a whole labels file (one byte per item, one item per image) as int32 labels.
std::vector<std::int32_t> read_labels(const fs::path& path, const IdxReader& images) {
  IdxReader labels(path);
  if (labels.dims().size() != 1)
    throw InputError(
        labels.name(), "header",
        fmt::format("has {} dimensions; a labels file has 1 (N)", labels.dims().size()));
  check_label_count(images.name(), images.dims()[0], labels.name(), labels.dims()[0]);
  std::vector<std::uint8_t> bytes(labels.dims()[0]);
  labels.read(bytes);
  labels.expect_end();
  return {bytes.begin(), bytes.end()};
}

struct IdxPool {
  fs::path images;
  fs::path labels;                   // empty: the pool has no labels
  std::vector<std::string> classes;  // given names; empty: "0".."K-1" from the labels
  std::string source;
};

void write_idx_pool(const IdxPool& idx, const ImportRequest& request) {
  IdxReader images(idx.images);
  PoolSpec spec;
  spec.shape = image_shape(images);
  spec.count = images.dims()[0];
  spec.source = idx.source;
  std::vector<std::int32_t> labels;
  if (!idx.labels.empty()) labels = read_labels(idx.labels, images);
  set_classes(spec, idx.labels, labels, idx.classes);
  PoolWriter writer(request.out, request.overwrite, std::move(spec));
  append_in_batches<std::uint8_t>(
      writer, request.first_id, labels,
      [&](std::uint64_t, std::uint64_t, std::span<std::uint8_t> pixels) { images.read(pixels); });
  images.expect_end();
  writer.finish();
}

// A dataset file stored either gzip-compressed (as Debian installs them) or unpacked.
fs::path find_fashion_file(const fs::path& folder, const std::string& name) {
  for (const fs::path& candidate : {folder / (name + ".gz"), folder / name})
    if (fs::is_regular_file(candidate)) return candidate;
  throw InputError((folder / (name + ".gz")).string(), "", "is missing", kFashionHint);
}
}  // namespace

void import_fashion_mnist(const ImportRequest& request) {
  if (request.split != "train" && request.split != "test")
    throw UsageError("--split '" + request.split + "' is not one of train, test");
  if (!fs::is_directory(request.input))
    throw InputError(request.input.string(), "",
                     fs::exists(request.input) ? "is not a folder" : "does not exist",
                     kFashionHint);
  const std::string prefix = request.split == "train" ? "train" : "t10k";
  IdxPool idx;
  idx.images = find_fashion_file(request.input, prefix + "-images-idx3-ubyte");
  idx.labels = find_fashion_file(request.input, prefix + "-labels-idx1-ubyte");
  idx.classes = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  idx.source = fmt::format("fashion-mnist {} ({})", request.split, idx.images.string());
  write_idx_pool(idx, request);
}

void import_idx(const ImportRequest& request) {
  write_idx_pool({request.input, request.labels, request.classes, "idx " + request.input.string()},
                 request);
}

}  // namespace quarry::pool
