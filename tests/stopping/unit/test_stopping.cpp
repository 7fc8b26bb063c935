// The stopping criterion's defining property (it fires on a planted plateau of kappa, not
// before), Cohen's kappa against hand-computed values, the stop set's stability and the round
// records that quarry status and the round report read.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "select/support/scores_fixture.hpp"
#include "stopping/kappa.hpp"
#include "stopping/stop_criterion.hpp"
#include "stopping/stop_record.hpp"
#include "stopping/stop_set.hpp"
#include "support/temp_dir.hpp"

namespace quarry::stopping {
namespace {

TEST(Kappa, MatchesHandComputedValues) {
  // 10 items, 2 classes: agree on 8; each says 0 six times.
  const std::vector<std::int32_t> a = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  const std::vector<std::int32_t> b = {0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
  // p_o = 0.8, p_e = 0.6*0.6 + 0.4*0.4 = 0.52, kappa = 0.28 / 0.48.
  EXPECT_NEAR(cohen_kappa(a, b, 2), 7.0 / 12.0, 1e-12);
  EXPECT_DOUBLE_EQ(cohen_kappa(a, a, 2), 1.0);
  // One class throughout on both sides: identical, so 1 (no division by zero).
  const std::vector<std::int32_t> same(5, 1);
  EXPECT_DOUBLE_EQ(cohen_kappa(same, same, 3), 1.0);
  // Systematic disagreement is below chance.
  const std::vector<std::int32_t> flipped = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
  EXPECT_LT(cohen_kappa(a, flipped, 2), 0.0);
  // -1 (no detection) is a class of its own.
  const std::vector<std::int32_t> none = {-1, 0, 1, 1};
  EXPECT_DOUBLE_EQ(cohen_kappa(none, none, 2), 1.0);
  EXPECT_THROW(cohen_kappa(a, std::vector<std::int32_t>(3, 0), 2), Error);
  EXPECT_THROW(cohen_kappa(std::vector<std::int32_t>{5}, std::vector<std::int32_t>{0}, 2), Error);
}

TEST(StopCriterion, FiresOnAPlantedPlateauNotBefore) {
  StopSettings settings;
  settings.set_size = 100;  // threshold 0.99, window 3: the paper's defaults
  // Rounds 2..9: rising agreement, one dip back below the threshold, then a plateau from 6.
  const std::vector<RoundKappa> kappas = {{2, 0.80}, {3, 0.95},  {4, 0.991}, {5, 0.993},
                                          {6, 0.97}, {7, 0.992}, {8, 0.995}, {9, 0.996}};
  for (std::size_t seen = 1; seen <= kappas.size(); ++seen) {
    const auto progress = track_stopping(std::span(kappas).first(seen), settings);
    if (seen < kappas.size()) {
      EXPECT_FALSE(progress.fired_round) << "fired after round " << kappas[seen - 1].round;
    } else {
      ASSERT_TRUE(progress.fired_round);
      EXPECT_EQ(*progress.fired_round, 9);
      EXPECT_EQ(progress.streak, 3);
    }
  }
  // Two above the threshold before the dip: the streak restarts.
  EXPECT_EQ(track_stopping(std::span(kappas).first(5), settings).streak, 0);
  EXPECT_EQ(track_stopping(std::span(kappas).first(4), settings).streak, 2);
  // Once fired it stays fired at the first round, even if kappa drops afterwards.
  auto later = kappas;
  later.push_back({10, 0.5});
  EXPECT_EQ(*track_stopping(later, settings).fired_round, 9);
  // A window of one fires at the first kappa at or above the threshold.
  settings.window = 1;
  EXPECT_EQ(*track_stopping(kappas, settings).fired_round, 4);
}

TEST(StopCriterion, DescribesHowCloseItIs) {
  StopSettings settings;
  settings.set_size = 100;
  const std::vector<RoundKappa> kappas = {{2, 0.80}, {3, 0.995}, {4, 0.996}};
  const auto text = describe_stopping(track_stopping(kappas, settings), settings);
  EXPECT_NE(text.find("not yet"), std::string::npos) << text;
  EXPECT_NE(text.find("2 of 3"), std::string::npos) << text;
  EXPECT_NE(text.find("0.9960"), std::string::npos) << text;
  auto more = kappas;
  more.push_back({5, 0.999});
  const auto fired = describe_stopping(track_stopping(more, settings), settings);
  EXPECT_NE(fired.find("fired at round 0005"), std::string::npos) << fired;
  EXPECT_NE(describe_stopping(StopProgress{}, settings).find("no kappa yet"), std::string::npos);
}

TEST(StopSet, IsFixedNestedAndIndependentOfRowOrder) {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t i = 0; i < 1000; ++i) ids.push_back(5000 + 3 * i);
  const auto rows = stop_set_rows(ids, 100, 7);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  auto ids_of = [](const std::vector<std::uint64_t>& all, const std::vector<std::size_t>& rows) {
    std::vector<std::uint64_t> out;
    for (auto r : rows) out.push_back(all[r]);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto chosen = ids_of(ids, rows);
  auto reversed = ids;
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(ids_of(reversed, stop_set_rows(reversed, 100, 7)), chosen);
  const auto bigger = ids_of(ids, stop_set_rows(ids, 200, 7));
  EXPECT_TRUE(std::includes(bigger.begin(), bigger.end(), chosen.begin(), chosen.end()));
  EXPECT_NE(ids_of(ids, stop_set_rows(ids, 100, 8)), chosen);
  EXPECT_EQ(stop_set_rows(ids, 5000, 7).size(), ids.size());
}

TEST(StopSet, KappaOfTwoRoundsScoresFiles) {
  testing::TempDir dir;
  auto first = testing::make_blobs(300, 4, 3, 1);
  testing::write_scores(dir / "a.h5", first);
  testing::write_scores(dir / "b.h5", first);
  EXPECT_DOUBLE_EQ(successive_kappa(dir / "a.h5", dir / "b.h5", 100, 0), 1.0);
  // Another model: every probability row shifted by one class changes every prediction.
  auto shifted = first;
  for (std::size_t i = 0; i < shifted.size(); ++i)
    std::rotate(shifted.probs.begin() + long(i * 3), shifted.probs.begin() + long(i * 3 + 1),
                shifted.probs.begin() + long(i * 3 + 3));
  testing::write_scores(dir / "c.h5", shifted);
  EXPECT_LT(successive_kappa(dir / "a.h5", dir / "c.h5", 100, 0), 0.0);
  const auto some = stop_set_predictions(dir / "a.h5", 100, 0);
  EXPECT_EQ(some.ids.size(), 100u);
  EXPECT_TRUE(std::is_sorted(some.ids.begin(), some.ids.end()));
  // Another pool: refused, naming the later file.
  testing::write_scores(dir / "d.h5", testing::make_blobs(200, 4, 3, 2));
  try {
    successive_kappa(dir / "a.h5", dir / "d.h5", 100, 0);
    FAIL() << "another pool's scores were compared";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("d.h5"), std::string::npos) << error.what();
  }
}

TEST(StopRecord, RoundTripsAndTracksAWorkspace) {
  testing::TempDir dir;
  StopSettings settings;
  settings.set_size = 50;
  settings.window = 2;
  std::vector<std::filesystem::path> rounds;
  const double kappas[] = {0.5, 0.995, 0.999};
  for (int r = 0; r < 4; ++r) {
    rounds.push_back(dir / ("r" + std::to_string(r)));
    std::filesystem::create_directories(rounds.back());
    if (r > 0) write_stop_record(rounds.back(), r, r - 1, kappas[r - 1], settings);
  }
  EXPECT_FALSE(read_stop_record(rounds[0]));
  const auto record = read_stop_record(rounds[2]);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->kappa.round, 2);
  EXPECT_DOUBLE_EQ(record->kappa.kappa, 0.995);
  EXPECT_EQ(record->settings.window, 2);
  const auto tracked = workspace_stopping(rounds);
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->first.kappas.size(), 3u);
  EXPECT_EQ(*tracked->first.fired_round, 3);
  EXPECT_FALSE(workspace_stopping({rounds[0]}));
  std::ofstream(stop_record_path(rounds[1])) << "{ not json";
  EXPECT_THROW(read_stop_record(rounds[1]), InputError);
}

}  // namespace
}  // namespace quarry::stopping
