#pragma once
// On pools with objects every arm of a seed starts alike: the same initial batch, drawn from
// scratch (no model yet, so no pre-labels) by the same seeded annotators, and the same seeded
// fresh model trained on it. Training a detector is the cost of a simulation, so the first arm of
// a seed (random) keeps that round's ledger, model and curve point in its run folder's round-0/,
// and the other arms start from copies of them when random ran with the same settings. Rank 0.
#include <optional>
#include <string>

#include "simulate/curve.hpp"
#include "simulate/one_run.hpp"

namespace quarry::simulate {

// Random's run: keeps the round-0 ledger and model (before later rounds change or drop them) and
// the round's curve point.
void keep_first_round(const SimulateOptions& options, std::uint64_t seed, const RunFiles& files,
                      const CurvePoint& point);

// Another arm: copies random's round-0 ledger and model into `files` and returns the round's
// curve point (its strategy this arm's), or nullopt when random of this seed kept none with the
// same settings.
std::optional<CurvePoint> adopt_first_round(const SimulateOptions& options,
                                            const std::string& strategy, std::uint64_t seed,
                                            const RunFiles& files);

}  // namespace quarry::simulate
