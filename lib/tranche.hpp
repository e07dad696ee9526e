// lib/tranche.hpp: the tranches' rules, for the code outside lib/ (journal/, cli/, the tests): the
// cascade and values (lib/cascade.hpp), the income waterfall and losses booked (lib/gains_losses.hpp),
// the senior's accrual (lib/accrual.hpp). No file of lib/ includes it.
#pragma once

#include "lib/accrual.hpp"
#include "lib/cascade.hpp"
#include "lib/gains_losses.hpp"
