#include "ingest/rejects_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include <nlohmann/json.hpp>
#include "core/atomic_output.hpp"
#include "core/error.hpp"

namespace quarry::ingest {

std::filesystem::path rejects_path(const std::filesystem::path& ledger, std::int32_t round) {
  return fmt::format("{}.round-{:04}.rejected.jsonl", ledger.string(), round);
}

std::filesystem::path write_rejects_file(const std::filesystem::path& ledger, std::int32_t round,
                                         const std::vector<RejectedRecord>& rejected) {
  AtomicOutput out(rejects_path(ledger, round), Overwrite::replace);
  {
    std::ofstream stream(out.temp_path());
    for (const auto& r : rejected)
      stream << nlohmann::ordered_json{{"file", r.file}, {"where", r.where}, {"problem", r.problem}}
                    .dump()
             << '\n';
    if (!stream) throw Error("cannot write " + out.temp_path().string());
  }
  out.commit();
  return out.final_path();
}

}  // namespace quarry::ingest
