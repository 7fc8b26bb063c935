// Fuzz target: read_label_studio on any bytes (see contract.hpp).
#include "fuzz/annotation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const quarry::ingest::AnnotatorMap users = {{2, "ann@example.org"}};
  quarry::fuzz::fuzz_annotation_reader(
      data, size, "fuzz-input.json",
      [&](const std::string& text, quarry::ingest::RecordSink& sink, bool objects) {
        quarry::ingest::read_label_studio(text, users, sink, objects);
      });
  return 0;
}
