#include "select/strategies/kcenter_cells.hpp"

#include <algorithm>

namespace quarry::select {

void KCenterCell::append(std::uint32_t row, float row_d2, float row_key, std::uint64_t id,
                         const Float16* fp16, const KCenterCell* compact_from, std::size_t at) {
  rows.push_back(row);
  d2.push_back(row_d2);
  key.push_back(row_key);
  ids.push_back(id);
  if (compact.dim != 0) {
    if (compact_from)
      compact.push_back_copy(compact_from->compact, at);
    else
      compact.push_back_quantized(fp16);
  }
  radius2 = std::max(radius2, row_d2);
  const Ranked mine{row_key, id};
  if (ranks_before(mine, best)) best = mine, best_row = row;
}

void KCenterCell::remove_at(const std::vector<std::uint32_t>& at) {
  // Only rows leaving can lower the radius or take the best away: the rest keep their d2.
  bool stale = false;
  for (auto i = at.rbegin(); i != at.rend(); ++i) {  // descending: the last row is never one to go
    const std::size_t p = *i, last = rows.size() - 1;
    stale = stale || rows[p] == best_row || d2[p] >= radius2;
    rows[p] = rows[last], d2[p] = d2[last], key[p] = key[last], ids[p] = ids[last];
    rows.pop_back(), d2.pop_back(), key.pop_back(), ids.pop_back();
    if (compact.dim != 0) compact.swap_remove(p);
  }
  if (stale) refresh();
  // The first cell starts with every row and soon keeps few: give the memory back.
  if (rows.capacity() > 4 * rows.size() + 4096) {
    rows.shrink_to_fit(), d2.shrink_to_fit(), key.shrink_to_fit(), ids.shrink_to_fit();
    compact.values.shrink_to_fit(), compact.side.shrink_to_fit();
  }
}

void KCenterCell::refresh() {
  radius2 = 0;
  best = Ranked{};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    radius2 = std::max(radius2, d2[i]);
    const Ranked mine{key[i], ids[i]};
    if (ranks_before(mine, best)) best = mine, best_row = rows[i];
  }
}

}  // namespace quarry::select
