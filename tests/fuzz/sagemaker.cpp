// Fuzz target: read_sagemaker on any bytes (see contract.hpp).
#include "fuzz/annotation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  quarry::fuzz::fuzz_annotation_reader(data, size, "fuzz-input.manifest",
                                       quarry::ingest::read_sagemaker);
  return 0;
}
