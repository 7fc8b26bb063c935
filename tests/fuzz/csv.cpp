// Fuzz target: read_csv and read_csv_objects on any bytes (see contract.hpp).
#include "fuzz/annotation_reader.hpp"
#include "ingest/readers/object_readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  quarry::fuzz::fuzz_annotation_reader(
      data, size, "fuzz-input.csv",
      [](const std::string& text, quarry::ingest::RecordSink& sink, bool objects) {
        if (objects)
          quarry::ingest::read_csv_objects(text, sink);
        else
          quarry::ingest::read_csv(text, sink);
      });
  return 0;
}
