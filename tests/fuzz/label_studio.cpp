// Fuzz target: read_label_studio on any bytes (see contract.hpp).
#include "fuzz/annotation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  quarry::fuzz::fuzz_annotation_reader(data, size, "fuzz-input.json",
                                       quarry::ingest::read_label_studio);
  return 0;
}
