// Fuzz target: read_sagemaker on any bytes, classes and objects (see contract.hpp).
#include "fuzz/annotation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  quarry::fuzz::fuzz_annotation_reader(
      data, size, "fuzz-input.manifest",
      [](const std::string& text, quarry::ingest::RecordSink& sink, bool objects) {
        quarry::ingest::read_sagemaker(text, sink, objects);
      });
  return 0;
}
