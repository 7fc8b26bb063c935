#pragma once
// A workspace round's stopping record, rounds/NNNN/stop.json, written after the round's scoring:
// the kappa between this round's and the previous scored round's predictions on the stop set,
// with the settings it was measured under. quarry status and the round report read the records
// instead of reading every round's scores again.
#include <filesystem>
#include <optional>
#include <vector>

#include "stopping/stop_criterion.hpp"

namespace quarry::stopping {

std::filesystem::path stop_record_path(const std::filesystem::path& round_dir);

// Atomically (temporary + rename).
void write_stop_record(const std::filesystem::path& round_dir, int round, int previous_round,
                       double kappa, const StopSettings& settings);

struct StopRecord {
  RoundKappa kappa;
  StopSettings settings;
};

// Empty when the round has no record (off, or no earlier scored round); InputError naming the
// file when it does not parse.
std::optional<StopRecord> read_stop_record(const std::filesystem::path& round_dir);

// The records of these round folders (in round order) tracked under the newest record's
// settings; empty when none has a record.
std::optional<std::pair<StopProgress, StopSettings>> workspace_stopping(
    const std::vector<std::filesystem::path>& round_dirs);

}  // namespace quarry::stopping
