// Fuzz target: read_cvat on any bytes (see contract.hpp), annotators from the file's <meta>.
#include "fuzz/annotation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  quarry::fuzz::fuzz_annotation_reader(
      data, size, "fuzz-input.xml",
      [](const std::string& text, quarry::ingest::RecordSink& sink, bool objects) {
        quarry::ingest::read_cvat(text, "", sink, objects);
      });
  return 0;
}
