// apply.hpp
#include "lib/money.hpp"
