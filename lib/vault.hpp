// lib/vault.hpp: the vault's rules, for the code outside lib/ (journal/, cli/, the tests): the
// valuation layer (lib/pricing.hpp, lib/valuation.hpp, lib/insurance.hpp), the accrual and the
// event rules (lib/accrual.hpp, lib/transitions.hpp), apply() and the conservation audit. No file of
// lib/ includes it: each includes the layer it needs.
#pragma once

#include "lib/accrual.hpp"
#include "lib/apply.hpp"
#include "lib/audit.hpp"
#include "lib/insurance.hpp"
#include "lib/pricing.hpp"
#include "lib/transitions.hpp"
#include "lib/valuation.hpp"
