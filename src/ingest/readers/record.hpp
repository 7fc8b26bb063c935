#pragma once
// What every annotation reader returns: one answer per record as the tool wrote it, before it
// is checked against the pool (ids that exist, class names) and against other answers.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace quarry::ingest {

// A keypoint as a tool names it: by the keypoint's name, in pixels of the image the annotator saw.
struct RecordKeypoint {
  std::string name;
  double x = 0, y = 0;
  int visibility = 2;  // COCO's: 1 labelled but hidden (occluded), 2 visible
};

// One object an annotator drew, in pixels of the image it saw (readers convert percentages and
// widths; ingest maps the pixels back to the pool's with the item's source transform).
struct RecordObject {
  std::array<double, 4> box{};  // x0, y0, x1, y1 as drawn (x1 < x0 is the checker's to reject)
  std::string label;            // class name
  std::vector<RecordKeypoint> keypoints;
  double score = 1;   // the tool's confidence where it gives one
  std::string where;  // "result box1": for messages
};

struct AnnotationRecord {
  std::uint64_t id = 0;   // quarry item id
  std::string annotator;  // as the tool names them
  std::string label;      // a class name, or a class index written as text
  std::string where;      // "line 12", "task 3, annotation 2": for messages
  // The tool's own task the answer belongs to (Label Studio's task id, unique on its server),
  // 0 where the format names none. It tells an item re-annotated in a new task (a flagged item
  // sent out again: the answers count) from the same task exported again (they repeat).
  std::uint64_t task = 0;
  // Pools with objects: every object of the answer (none: the annotator saw nothing); `label`
  // is then empty.
  std::vector<RecordObject> objects{};
};

struct RejectedRecord {
  std::string file;
  std::string where;
  std::string problem;
};

// Collects a file's records and, with --skip-bad, the records it had to reject. Without
// skip-bad the first bad record ends the ingest: reject() throws InputError(file, where, ...).
class RecordSink {
 public:
  RecordSink(std::filesystem::path file, bool skip_bad)
      : file_(std::move(file)), skip_bad_(skip_bad) {}

  const std::filesystem::path& file() const { return file_; }
  // Keeps the record, or rejects it when its annotator name cannot be stored (empty, not UTF-8,
  // a control character: NUL would cut the name in HDF5 and merge two annotators).
  void add(AnnotationRecord record);
  void reject(const std::string& where, const std::string& problem, const std::string& hint = {});

  std::vector<AnnotationRecord>& records() { return records_; }
  std::vector<RejectedRecord>& rejected() { return rejected_; }

  // Hands the records over to `take` whenever `count` have been added, then forgets them: a
  // large file is checked as it is read instead of held whole (a million records of strings
  // are ~150 MB, and first touching memory is what reading costs most). The caller takes the
  // last, partial batch from records().
  void hand_over_every(std::size_t count, std::function<void(RecordSink&)> take) {
    batch_ = count;
    take_ = std::move(take);
  }

 private:
  std::filesystem::path file_;
  bool skip_bad_;
  std::size_t batch_ = 0;
  std::function<void(RecordSink&)> take_;
  std::vector<AnnotationRecord> records_;
  std::vector<RejectedRecord> rejected_;
  std::string last_good_annotator_;  // passed name_problem (empty: none yet)
};

// The whole file as text; an empty (or all-whitespace) file is bad input, whatever the format.
std::string read_annotation_file(const std::filesystem::path& file);

// "line L, column C" of a byte offset into `text`, for parse errors.
std::string text_position(const std::string& text, std::size_t offset);

// Parses a decimal item id ("123"); false for anything else (signs, spaces, overflow).
bool parse_id(std::string_view text, std::uint64_t& id);

// Checks an image reference against the export convention "<prefix>images/<id>.png" and returns
// the id it names; throws a description of the problem (std::invalid_argument) for names with
// ".." or backslashes, other folders, or another file name pattern. `prefix_allowed` is false
// for CVAT, whose names are relative to the task ("images/<id>.png" or "<id>.png").
std::uint64_t id_from_image_name(const std::string& name, bool prefix_allowed);

}  // namespace quarry::ingest
