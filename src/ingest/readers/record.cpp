#include "ingest/readers/record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"

namespace quarry::ingest {

void RecordSink::add(AnnotationRecord record) {
  // A file names few annotators, mostly one after another: a name just found good is not
  // checked again.
  if (last_good_annotator_.empty() || record.annotator != last_good_annotator_) {
    if (const auto problem = name_problem(record.annotator, "annotator name"); !problem.empty()) {
      reject(record.where, problem,
             "annotators are told apart by name: fix the name in the annotation tool, or pass "
             "--annotator NAME (CVAT)");
      return;
    }
    last_good_annotator_ = record.annotator;
  }
  records_.push_back(std::move(record));
  if (take_ && records_.size() >= batch_) {
    take_(*this);
    records_.clear();
  }
}

void RecordSink::reject(const std::string& where, const std::string& problem,
                        const std::string& hint) {
  if (!skip_bad_) throw InputError(file_.string(), where, problem, hint);
  rejected_.push_back({file_.string(), where, problem});
}

std::string read_annotation_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(file.string(), "", "cannot be opened",
                     "check the path given to --annotations");
  // One read of the whole file: a stream iterator goes byte by byte, several times slower.
  std::string text;
  std::error_code size_error;
  const auto size = std::filesystem::file_size(file, size_error);
  if (!size_error) {
    text.resize(size);
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  // Whatever the size did not cover (a pipe, a file still growing).
  text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }))
    throw InputError(file.string(), "", "is empty",
                     "export the annotations again; an empty file holds no answers");
  return text;
}

std::string text_position(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n');
  const auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const auto column =
      line_start == std::string::npos || offset == 0 ? offset + 1 : offset - line_start;
  return fmt::format("line {}, column {}", line, column);
}

bool parse_id(std::string_view text, std::uint64_t& id) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, id);
  return ec == std::errc() && ptr == end;
}

std::uint64_t id_from_image_name(const std::string& name, bool prefix_allowed) {
  if (name.find('\\') != std::string::npos)
    throw std::invalid_argument(fmt::format("image name '{}' contains a backslash", name));
  // Any ".." component could point outside the export folder.
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view component(name.data() + start, end - start);
    if (component == ".." || component.ends_with("=.."))  // "=..": a URL query (?d=../x)
      throw std::invalid_argument(fmt::format("image name '{}' contains '..'", name));
    start = end + 1;
  }
  const auto slash = name.rfind('/');
  const std::string file = slash == std::string::npos ? name : name.substr(slash + 1);
  const std::string folder = slash == std::string::npos ? "" : name.substr(0, slash);
  const bool folder_ok = prefix_allowed ? (folder == "images" || folder.ends_with("/images") ||
                                           folder.ends_with("=images"))
                                        : (folder.empty() || folder == "images");
  std::uint64_t id = 0;
  if (!folder_ok || !file.ends_with(".png") || !parse_id(file.substr(0, file.size() - 4), id))
    throw std::invalid_argument(
        fmt::format("image name '{}' is not {}images/<id>.png as quarry export writes it", name,
                    prefix_allowed ? "<prefix>" : ""));
  return id;
}

}  // namespace quarry::ingest
